/**
 * A minimal zip writer (stored entries, no compression) for the sample submissions. It writes entry names
 * exactly as given, including the hostile ones (`../x`, absolute paths, symlinks) that the grader must
 * refuse: general-purpose zip libraries rightly refuse to create those.
 */
export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
  /** A Unix symbolic link whose target is `data`. */
  readonly symlink?: boolean;
  /** Mode 755 instead of 644. */
  readonly executable?: boolean;
}

const DOS_DATE_2026_01_01 = ((2026 - 1980) << 9) | (1 << 5) | 1;

export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const checksum = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, checksum, entry.data.length, name.length);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, entry.data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode bits below count
    writeEntryFields(central, 6, checksum, entry.data.length, name.length);
    central.writeUInt32LE(((entry.symlink ? 0o120777 : entry.executable ? 0o100755 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const centralSize = centrals.reduce((total, b) => total + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * The fields a local header (from byte 4) and a central directory header (from byte 6) share, in the
 * same order: version needed 2.0, flags (UTF-8 names), method (stored), time, date, CRC-32, compressed
 * and uncompressed size (equal: stored), name length.
 */
function writeEntryFields(header: Buffer, at: number, checksum: number, size: number, nameLength: number): void {
  header.writeUInt16LE(20, at);
  header.writeUInt16LE(0x0800, at + 2); // UTF-8 names
  header.writeUInt16LE(0, at + 4); // stored
  header.writeUInt16LE(0, at + 6);
  header.writeUInt16LE(DOS_DATE_2026_01_01, at + 8);
  header.writeUInt32LE(checksum, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
