import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownedFilesOfCourse } from '../../grader/plan.js';
import { kitRoot } from './helpers.js';

/**
 * The files a submission keeps (grader/plan.ts, `ownedFilesOfCourse`) include every student file that
 * another student file imports, whichever exercises are graded. Once they were only the files of the
 * exercises up to the last graded one, and Exercise 2's conv.ts imports Exercise 6's dilated-kernel.ts:
 * grading `--exercise ex2` or `--exercise ex3` dropped that file, and every check that builds a conv
 * (Conv, DigitsCNN, RegularizationTraining) scored 0 as "does not compile" for a correct submission.
 */
const owned = ownedFilesOfCourse();

/** The files under exercises/ that a solution file imports with a relative specifier. */
function studentImportsOf(file: string): string[] {
  const source = readFileSync(path.join(kitRoot, 'solutions', file), 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((match) => match[1]);
  return specifiers
    .map((specifier) => path.posix.join(path.posix.dirname(file), specifier).replace(/\.js$/, '.ts'))
    .filter((target) => !target.startsWith('..') && existsSync(path.join(kitRoot, 'solutions', target)));
}

describe('the files a submission keeps', () => {
  it('cover every student file another student file imports, whichever exercises are graded', () => {
    const missing = owned.flatMap((file) =>
      studentImportsOf(file)
        .filter((target) => !owned.includes(target))
        .map((target) => `${file} imports ${target}`),
    );
    expect(missing, 'add the imported file to its component in course/course.ts').toEqual([]);
    expect(studentImportsOf('layers/conv.ts'), 'the cross-exercise import this test was written for').toContain(
      'layers/dilated-kernel.ts',
    );
  });
});
