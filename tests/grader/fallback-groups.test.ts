import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeBatch } from '../../grader/batch.js';
import type { ComponentReport, Report } from '../../grader/report/report-types.js';
import { buildSamples, listRecipes, submissionNameOf } from '../../grader/samples/build-samples.js';
import { allCases, batchOptions, kitRoot, temporaryFolder } from './helpers.js';

/**
 * A submission's CPU components of every graded exercise share one process per visibility
 * (grader/grade-submission.ts, `passes`). When that bundle does not compile, or its process dies while
 * it loads, the grader narrows down per exercise and then per component (grading/compile-groups.ts,
 * `smallerParts`), so a broken Exercise 1 file costs only the components that import it and another
 * exercise graded beside it keeps its points. Two samples with a broken relu.ts or fully-connected.ts,
 * graded on Exercises 1 and 3 together.
 */
const SAMPLES = ['does-not-compile', 'hostile-exit-at-load'];
const reports = new Map<string, Report>();

beforeAll(async () => {
  const root = temporaryFolder('fallback-groups');
  const submissions = await buildSamples(kitRoot, path.join(root, 'submissions'));
  const names = listRecipes(kitRoot)
    .filter((r) => SAMPLES.includes(r.name))
    .map((r) => [r.name, submissionNameOf(r.name, r.recipe)] as const);
  const result = await gradeBatch(
    batchOptions(submissions, path.join(root, 'out'), {
      exercises: ['ex1', 'ex3'],
      only: names.map(([, id]) => id),
    }),
  );
  for (const [name, id] of names) reports.set(name, result.reports.find((r) => r.student.id === id) as Report);
}, 300_000);

function componentsOf(report: Report, exercise: string): readonly ComponentReport[] {
  return report.exercises.find((e) => e.id === exercise)?.components ?? [];
}

const full = (c: ComponentReport): boolean =>
  c.public.earned === c.public.possible && c.hidden.earned === c.hidden.possible;

describe('a broken file in a process shared by several exercises', () => {
  it.each([
    ['does-not-compile', 'FullyConnected', 'does not compile: exercises/layers/fully-connected.ts'],
    ['hostile-exit-at-load', 'ReLU', 'the process ended before this test ran'],
  ])(
    '%s: %s scores 0 with the reason, the rest of Exercise 1 and Exercise 3 keep their points',
    (sample, broken, reason) => {
      const report = reports.get(sample) as Report;
      const cases = allCases(report).filter((c) => c.component === broken);
      expect(cases.length).toBeGreaterThan(0);
      expect(
        cases.every((c) => c.earned === 0 && c.reason.includes(reason)),
        cases.map((c) => `${c.id}: ${c.status} ${c.reason}`).join('\n'),
      ).toBe(true);
      const others = componentsOf(report, 'ex1').filter((c) => c.name !== broken);
      expect(
        others.filter((c) => !full(c)).map((c) => c.name),
        'the other Exercise 1 components',
      ).toEqual([]);
      // Exercise 3's components that build networks may import the broken file; most do not.
      const ex3 = componentsOf(report, 'ex3');
      const lost = ex3.filter((c) => !full(c));
      expect(lost.length, `Exercise 3 lost ${lost.map((c) => c.name).join(', ')}`).toBeLessThanOrEqual(1);
      expect(ex3.length).toBeGreaterThan(8);
    },
  );
});
