import { readFileSync, statSync } from 'node:fs';
import yauzl from 'yauzl';
import { MAX_ENTRIES, MAX_TOTAL_BYTES, MAX_ZIP_BYTES, maxFileBytes, SubmissionUnreadable } from './limits.js';

/**
 * Reads a zip into memory, refusing what could escape or exhaust: entries whose name is absolute, has a
 * `..` segment or a backslash, symlinks, more than MAX_ENTRIES entries, or more than MAX_TOTAL_BYTES
 * uncompressed (a zip bomb). Refused entries are reported, never extracted; nothing is written to disk.
 */
export interface ZipContents {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly refused: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

export { MAX_ENTRIES, MAX_FILE_BYTES, MAX_TOTAL_BYTES } from './limits.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why this entry name is refused, or undefined when it is a plain relative path. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\\')) return 'its name contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'its path is absolute';
  if (name.split('/').some((segment) => segment === '..')) return "its path climbs out of the submission with '..'";
  if (name.includes('\u0000')) return 'its name contains a NUL character';
  return undefined;
}

/**
 * Reads the zip at `file` (a path, or its exact bytes when its name is not valid UTF-8). A zip that
 * cannot be read as a whole (damaged, not a zip, too big) rejects with a SubmissionUnreadable that says
 * why, for the student's report and the instructor's console.
 */
export async function readZip(file: string | Buffer): Promise<ZipContents> {
  const size = statSync(file).size;
  if (size > MAX_ZIP_BYTES)
    throw new SubmissionUnreadable(`the zip is ${size} bytes, over the ${MAX_ZIP_BYTES}-byte limit`);
  try {
    return await readZipBytes(readFileSync(file));
  } catch (error) {
    if (error instanceof SubmissionUnreadable) throw error;
    throw new SubmissionUnreadable(
      `the zip is damaged or not a zip file (${String((error as Error)?.message ?? error)})`,
    );
  }
}

function readZipBytes(bytes: Buffer): Promise<ZipContents> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false so a hostile name is reported here instead of aborting the whole zip.
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('cannot open the zip'));
      const files = new Map<string, Buffer>();
      const refused: Array<{ path: string; reason: string }> = [];
      let entries = 0;
      let total = 0;
      const fail = (error: Error): void => {
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () => resolve({ files, refused }));
      zip.on('entry', (entry: yauzl.Entry) => {
        const raw = entry.fileName as unknown as Buffer;
        const name = (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
        if (++entries > MAX_ENTRIES)
          return fail(new SubmissionUnreadable(`the zip has more than ${MAX_ENTRIES} entries`));
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        const unsafe = unsafeEntryName(name);
        if (name.endsWith('/')) return zip.readEntry();
        if (unsafe) {
          refused.push({ path: name, reason: `refused: ${unsafe}` });
          return zip.readEntry();
        }
        if (mode === S_IFLNK) {
          refused.push({ path: name, reason: 'refused: it is a symbolic link' });
          return zip.readEntry();
        }
        if (entry.uncompressedSize > maxFileBytes(name)) {
          refused.push({ path: name, reason: `refused: larger than ${maxFileBytes(name)} bytes` });
          return zip.readEntry();
        }
        total += entry.uncompressedSize;
        if (total > MAX_TOTAL_BYTES)
          return fail(new SubmissionUnreadable(`the zip unpacks to more than ${MAX_TOTAL_BYTES} bytes`));
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error('cannot read an entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', fail);
          stream.on('end', () => {
            files.set(name, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
