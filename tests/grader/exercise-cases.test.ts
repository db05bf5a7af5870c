import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultJobs, gradeBatch } from '../../grader/batch.js';
import { buildSamples } from '../../grader/samples/build-samples.js';
import { course } from '../../course/course.js';
import { allCases, kitRoot, TEST_LIMITS, TEST_SEED, temporaryFolder } from './helpers.js';

/**
 * Every exercise's grader cases, run through the real sandbox: the reference sample must earn every
 * point of the exercise and the untouched stubs none. One batch per exercise (only the reference and
 * the stubs), so a failure names the exercise. Exercise 5 runs its WGSL kernels on the machine's
 * WebGPU adapter inside the sandbox; without one the grader leaves it ungraded (and says so), and this
 * test then fails only where DLKIT_REQUIRE_GPU=1 (CI) says an adapter must be there.
 */
const gpuRequired = process.env.DLKIT_REQUIRE_GPU === '1';
const root = temporaryFolder('exercise-cases');
const submissions = buildSamples(kitRoot, path.join(root, 'submissions'));

describe('grader cases of every exercise', () => {
  for (const exercise of course.exercises) {
    it(`${exercise.id}: the reference earns every point, the stubs none`, async () => {
      const warnings: string[] = [];
      const result = await gradeBatch({
        kitRoot,
        submissions: await submissions,
        out: path.join(root, `out-${exercise.id}`),
        seed: TEST_SEED,
        only: ['reference', 'stubs'],
        exercises: [exercise.id],
        resume: false,
        jobs: defaultJobs(),
        limits: TEST_LIMITS,
        gradescope: false,
        handoutBase: 'https://course.example/dlkit',
        onWarning: (message) => warnings.push(message),
      });
      const notGraded = warnings.filter((w) => /not graded|NOT graded/.test(w));
      if (notGraded.length > 0 && !result.plan.components.some((c) => c.cases.length > 0)) {
        // No cases at all (an exercise still without case files, or WebGPU without an adapter).
        const withoutGpu = notGraded.some((w) => w.includes('no WebGPU adapter'));
        if (withoutGpu && gpuRequired) expect.fail(`DLKIT_REQUIRE_GPU=1 but ${notGraded.join('; ')}`);
        console.log(`${exercise.id} is not graded here: ${notGraded.join('; ')}`);
        return;
      }
      expect(notGraded, 'every component with case files is graded').toEqual([]);
      const reference = result.reports.find((r) => r.student.id === 'reference');
      const stubs = result.reports.find((r) => r.student.id === 'stubs');
      if (!reference || !stubs) throw new Error('the reference and stubs samples were not graded');
      const failing = allCases(reference).filter((c) => c.status !== 'passed');
      expect(failing.map((c) => `${c.component} ${c.id}: ${c.status} ${c.reason ?? ''}`), `${exercise.id}: the reference must pass every case`).toEqual([]);
      expect(reference.total.final.earned).toBe(reference.total.final.possible);
      expect(reference.total.final.possible).toBeGreaterThan(0);
      const scoring = allCases(stubs).filter((c) => c.earned > 0);
      expect(scoring.map((c) => `${c.component} ${c.id}`), `${exercise.id}: the stubs must not earn points`).toEqual([]);
    }, 300_000);
  }
});
