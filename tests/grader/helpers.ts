import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Limits } from '../../grader/grade-submission.js';
import type { CaseReport, Report } from '../../grader/report/report-types.js';

/** Shared by the grader's tests: the kit root, a fixed seed, and short limits (the samples loop forever on purpose). */
export const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEST_SEED = 20261122;
export const TEST_LIMITS: Limits = { memoryBytes: 1024 * 1024 * 1024, caseTimeoutMs: 5000, fileTimeoutMs: 10_000, submissionTimeoutMs: 300_000 };
/**
 * The exercise the machinery tests (samples, CLI) grade: the hostile and broken samples target its
 * components, and grading every exercise for every sample would multiply their time without testing
 * anything more. Every exercise's cases are checked against the reference and the stubs in
 * exercise-cases.test.ts.
 */
export const MACHINERY_EXERCISES: readonly string[] = ['ex1'];

export function temporaryFolder(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `dlkit-${prefix}-`));
}

export function allCases(report: Report): Array<CaseReport & { component: string }> {
  return report.exercises.flatMap((e) => e.components.flatMap((c) => c.cases.map((x) => ({ ...x, component: c.name }))));
}
