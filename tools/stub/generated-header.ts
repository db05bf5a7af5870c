import { generatedPrefix } from '../generated.js';
import type { StubFile, Transform } from './stub-file.js';

/**
 * Last step: the first line says the file is generated, from what, and how to regenerate it, so a TA
 * who opens exercises/ knows not to edit it there. Students do edit it: it is their file.
 */
export function generatedHeader(file: StubFile): string {
  return `${generatedPrefix} from solutions/${file.file}: TAs edit that file and regenerate, never this one. Students: fill in the stubs below.`;
}

export const addGeneratedHeader: Transform = (file) => ({ ...file, text: `${generatedHeader(file)}\n${file.text}` });
