import path from 'node:path';
import { exists } from '../files.js';
import { diffExercises } from '../generate.js';
import type { Kit } from '../kit.js';

/**
 * exercises/ is generated and committed; it must equal a fresh generation from solutions/. The
 * message says what differs and what to run, since the usual cause is a solution edited without
 * regenerating.
 */
export function checkExercisesUpToDate(kit: Kit): string[] {
  const unknown = kit.course.exercises.flatMap((exercise) =>
    exercise.components.flatMap((component) =>
      component.files
        .filter((file) => !exists(path.join(kit.root, 'solutions', file)))
        .map(
          (file) =>
            `course/course.ts lists solutions/${file} for ${exercise.id} ${component.name}, but there is no such file`,
        ),
    ),
  );
  if (unknown.length > 0) return unknown;
  const { missing, changed, extra } = diffExercises(kit);
  const lines = [
    ...missing.map((file) => `exercises/${file} is missing`),
    ...changed.map((file) => `exercises/${file} differs from what solutions/${file} generates`),
    ...extra.map((file) => `exercises/${file} has no source in solutions/`),
  ];
  if (lines.length === 0) return [];
  return [
    `exercises/ is out of date with solutions/: run \`npm run stubs\` and commit the result.\n  ${lines.join('\n  ')}`,
  ];
}
