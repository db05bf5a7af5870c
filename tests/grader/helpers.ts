import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { BatchOptions } from '../../grader/batch.js';
import type { Limits } from '../../grader/grade-submission.js';
import type { CaseReport, Report } from '../../grader/report/report-types.js';

/** Shared by the grader's tests: the kit root, a fixed seed, and short limits (the samples loop forever on purpose). */
export const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEST_SEED = 20261122;
export const TEST_LIMITS: Limits = {
  memoryBytes: 1024 * 1024 * 1024,
  caseTimeoutMs: 5000,
  fileTimeoutMs: 10_000,
  submissionTimeoutMs: 300_000,
};
/**
 * The exercise the machinery tests (samples, CLI) grade: the hostile and broken samples target its
 * components, and grading every exercise for every sample would multiply their time without testing
 * anything more. Every exercise's cases are checked against the reference and the stubs in
 * exercise-cases.test.ts.
 */
export const MACHINERY_EXERCISES: readonly string[] = ['ex1'];

/**
 * A new folder `dlkit-<prefix>-…` in the temp directory, removed when the test file's tests are done
 * (the `afterAll` below: each test file imports this module afresh, so it registers once per file).
 */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), `dlkit-${prefix}-`));
  madeFolders.push(folder);
  return folder;
}

const madeFolders: string[] = [];
afterAll(() => {
  for (const folder of madeFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A batch of `submissions` into `out` as the grader's tests run it: the test seed and limits, the machinery exercises, one job. */
export function batchOptions(submissions: string, out: string, extra: Partial<BatchOptions> = {}): BatchOptions {
  return {
    kitRoot,
    submissions,
    out,
    seed: TEST_SEED,
    exercises: MACHINERY_EXERCISES,
    resume: false,
    jobs: 1,
    limits: TEST_LIMITS,
    gradescope: false,
    handoutBase: '',
    ...extra,
  };
}

export function allCases(report: Report): Array<CaseReport & { component: string }> {
  return report.exercises.flatMap((e) =>
    e.components.flatMap((c) => c.cases.map((x) => ({ ...x, component: c.name }))),
  );
}
