import { readFileSync } from 'node:fs';
import path from 'node:path';
import { course } from '../../course/course.js';
import type { SubmissionFiles } from '../../grader/similarity/find-similarity.js';
import { bugged } from '../../tests/bugged/index.js';
import { applyVariant } from '../../tests/bugged/variant.js';

/**
 * A generated class for the similarity index: each student hands in the reference solution of every
 * owned file, with each file's bugged variants (tests/bugged/, realistic student mistakes) drawn in at
 * random (a seeded generator: the same class every run). With `distinct`, every student's version of
 * every file also gets one line of its own, so no two students hand in the same tokens and the index
 * compares every pair: the worst case, a class of near-copies that are all different.
 */
export function generatedClass(
  kitRoot: string,
  students: number,
  options: { distinct: boolean; seed?: number },
): SubmissionFiles[] {
  const files = [...new Set(course.exercises.flatMap((e) => e.components.flatMap((c) => c.files)))];
  const reference = new Map(files.map((file) => [file, readFileSync(path.join(kitRoot, 'solutions', file), 'utf8')]));
  const versions = new Map<string, string[]>();
  for (const file of files) {
    const variants: string[] = [];
    for (const variant of bugged.filter((v) => v.file === file)) {
      try {
        variants.push(applyVariant(variant, reference.get(file) as string));
      } catch {
        // A variant that no longer applies to the solution (tests/tools/bugged-variants.test.ts reports it).
      }
    }
    versions.set(file, [reference.get(file) as string, ...variants]);
  }
  let state = options.seed ?? 20261203;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: students }, (_, student) => ({
    id: `student-${String(student).padStart(4, '0')}`,
    files: new Map(
      files.map((file) => {
        const choices = versions.get(file) as string[];
        // Two students in three hand in the reference file; the others one of its mistakes.
        let text =
          choices.length > 1 && random() < 1 / 3
            ? choices[1 + Math.floor(random() * (choices.length - 1))]
            : choices[0];
        if (options.distinct) {
          const own = file.endsWith('.wgsl')
            ? `  let student_mark = ${student}.5;`
            : `    const studentMark = ${student}.5;`;
          text = text.replace(/^([ \t]*\/\/ BEGIN SOLUTION\n)/m, `$1${own}\n`);
        }
        return [file, text];
      }),
    ),
  }));
}
