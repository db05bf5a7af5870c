/**
 * File names as the grader reads them: bytes. A Linux file name need not be valid UTF-8 (an archive
 * unpacked from another system, or a hostile one), and Node's string form of such a name is lossy:
 * `lstat` of it then fails with ENOENT, which once ended the whole batch. The grader keeps the exact
 * bytes to open the file and shows the name with every byte that is not valid UTF-8 as `\xNN`, so two
 * different names never print (or key a report) the same.
 */

/** True when the bytes are valid UTF-8 (what Node decodes them to encodes back to the same bytes). */
export function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** The name as text: valid UTF-8 sequences as they are, any other byte as `\xNN`. Lossless and stable. */
export function displayName(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]);
    const sequence = bytes.subarray(i, i + length);
    if (length > 0 && sequence.length === length && isUtf8(sequence)) {
      text += sequence.toString('utf8');
      i += length;
    } else {
      text += `\\x${bytes[i].toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return text;
}

/** How many bytes a UTF-8 sequence starting with `lead` has; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** `parent/name` as bytes, for fs calls on names that are not valid UTF-8. */
export function joinBytes(parent: Buffer, name: Buffer): Buffer {
  return Buffer.concat([parent, Buffer.from('/'), name]);
}
