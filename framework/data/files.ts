import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DlkitError } from '../errors.js';

/** The kit's `data/` folder (next to `framework/`, also in a student handout). */
export const dataDirectory = fileURLToPath(new URL('../../data/', import.meta.url));

/** Reads a shipped data file (gunzipping `.gz`), with an error that says where it looked. */
export function readDataFile(name: string): string {
  const path = `${dataDirectory}${name}`;
  if (!existsSync(path)) {
    throw new DlkitError(
      `Data file '${name}' is missing from ${dataDirectory}: restore the kit's data/ folder (git checkout data/)`,
    );
  }
  const bytes = readFileSync(path);
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Parses numeric CSV rows; a malformed cell is an error naming file, line and column. */
export function parseNumericCsv(text: string, name: string, skipHeader: boolean): number[][] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.slice(skipHeader ? 1 : 0).map((line, row) =>
    line.split(',').map((cell, column) => {
      const value = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(value)) {
        throw new DlkitError(
          `${name}: line ${row + (skipHeader ? 2 : 1)}, column ${column + 1}: '${cell}' is not a number`,
        );
      }
      return value;
    }),
  );
}
