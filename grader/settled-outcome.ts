import { round, type SubmissionOutcome } from './grade-submission.js';
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
  return {
    components: plan.components.map((planned) => ({
      planned,
      cases: planned.cases.map((c) => ({
        id: c.id,
        title: c.title,
        visibility: c.visibility,
        possible: round(c.possible),
        earned: 0,
        status,
        reason,
      })),
    })),
    log: '',
  };
}
