import { ownerIn } from '../kit.js';
import { MarkerError } from './markers.js';
import { solutionPath, type Transform } from './stub-file.js';

/**
 * Step 2: the exercise and component the file belongs to, from the course manifest. Markers carry no
 * exercise id, so a file with markers that no component lists is an error ("unknown exercise").
 */
export const findOwner: Transform = (file) => {
  if (file.regions.length === 0) return file;
  const owner = ownerIn(file.kit.course, file.file);
  if (!owner) {
    const first = file.regions[0];
    const line = first.kind === 'block' ? first.begin : first.line;
    throw new MarkerError(
      solutionPath(file),
      line,
      `solution markers in a file that no exercise owns: add '${file.file}' to a component's files in course/course.ts`,
    );
  }
  return { ...file, owner };
};
