import { plannedOutcomes, type SubmissionOutcome } from './grade-submission.js';
import { settledAs } from './grading/case-ledger.js';
import type { GradingPlan } from './plan.js';
import type { CaseStatus } from './report/report-types.js';

/**
 * An outcome in which every planned case is settled the same way, without running anything: the
 * submission could not be read (a damaged zip, a folder over the caps), or the grader itself failed on
 * it. The student still gets a full report that says why, and the rest of the batch goes on.
 */
export function everyCaseSettled(
  plan: GradingPlan,
  status: Exclude<CaseStatus, 'passed'>,
  reason: string,
): SubmissionOutcome {
  const settled = settledAs(status, reason);
  return { components: plannedOutcomes(plan, () => settled), log: '' };
}
