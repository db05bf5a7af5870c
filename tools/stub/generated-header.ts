import { createHash } from 'node:crypto';
import { generatedPrefix } from '../generated.js';
import type { StubFile, Transform } from './stub-file.js';

/**
 * Last step: the first line says the file is generated, from what, and how to regenerate it, so a TA
 * who opens exercises/ knows not to edit it there (students do edit it: it is their file). It carries
 * a short hash of the solution file it came from: an edit inside a region leaves the stub's code as
 * it was, and without the hash exercises/ would not notice that solutions/ moved on.
 */
export function generatedHeader(file: StubFile, solutionText: string): string {
  const hash = createHash('sha256').update(solutionText).digest('hex').slice(0, 12);
  return `${generatedPrefix} from solutions/${file.file} (source ${hash}). TAs: edit that file and regenerate. Students: fill in the stubs.`;
}

/** Built per file, since the hash is of the original solution text, not of the transformed one. */
export const addGeneratedHeader =
  (solutionText: string): Transform =>
  (file) => ({ ...file, text: `${generatedHeader(file, solutionText)}\n${file.text}` });
