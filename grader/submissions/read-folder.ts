import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { displayName, isUtf8, joinBytes } from './file-names.js';
import { MAX_ENTRIES, MAX_TOTAL_BYTES, maxFileBytes, SubmissionUnreadable } from './limits.js';

/**
 * Reads a folder submission into memory under the same caps as a zip (MAX_ENTRIES, MAX_FILE_BYTES,
 * MAX_TOTAL_BYTES): a 300 MiB folder is refused after 32 MiB, not read whole. Symbolic links and
 * special files are reported, never followed; a name that is not valid UTF-8 is reported and skipped
 * (it cannot be an owned file's name). Paths are posix, relative to the folder.
 */
export interface FolderContents {
  readonly files: ReadonlyMap<string, Buffer>;
  readonly refused: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
}

export function readFolder(root: Buffer): FolderContents {
  const files = new Map<string, Buffer>();
  const refused: Array<{ path: string; reason: string }> = [];
  let entries = 0;
  let total = 0;
  const visit = (directory: Buffer, relative: string): void => {
    const names = readdirSync(directory, { encoding: 'buffer' }).sort(Buffer.compare);
    for (const name of names) {
      if (++entries > MAX_ENTRIES)
        throw new SubmissionUnreadable(`the folder has more than ${MAX_ENTRIES} files and folders`);
      const full = joinBytes(directory, name);
      const shown = relative ? `${relative}/${displayName(name)}` : displayName(name);
      const stat = lstatSync(full);
      if (!isUtf8(name)) refused.push({ path: shown, reason: 'refused: its name is not valid UTF-8' });
      else if (stat.isSymbolicLink()) refused.push({ path: shown, reason: 'refused: it is a symbolic link' });
      else if (stat.isDirectory()) visit(full, shown);
      else if (!stat.isFile()) refused.push({ path: shown, reason: 'refused: not a regular file' });
      else if (stat.size > maxFileBytes(shown))
        refused.push({ path: shown, reason: `refused: larger than ${maxFileBytes(shown)} bytes` });
      else {
        total += stat.size;
        if (total > MAX_TOTAL_BYTES)
          throw new SubmissionUnreadable(`the folder holds more than ${MAX_TOTAL_BYTES} bytes`);
        files.set(shown, readFileSync(full));
      }
    }
  };
  visit(root, '');
  return { files, refused };
}
