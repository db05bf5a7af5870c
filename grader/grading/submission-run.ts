import type { Limits } from '../grade-submission.js';
import type { GradingPlan, PlannedCase, PlannedComponent } from '../plan.js';
import type { Isolation } from '../sandbox/isolation.js';
import type { Submission } from '../submissions/load.js';
import type { CaseLedger } from './case-ledger.js';

/** The public checks run in one process, the hidden ones in another (DESIGN §7). */
export type Visibility = 'public' | 'hidden';

/**
 * Everything the grading of one submission shares, passed down instead of eight loose parameters:
 * what is graded (the submission, the plan), how (isolation, limits, the submission's absolute
 * deadline), and what it produces (the ledger of settled cases, the instructor's log).
 */
export interface SubmissionRun {
  readonly submission: Submission;
  readonly plan: GradingPlan;
  readonly isolation: Isolation;
  readonly limits: Limits;
  /** Milliseconds since the epoch when the whole submission's time is up. */
  readonly deadline: number;
  readonly ledger: CaseLedger;
  /** What each process printed, one section per process (instructor only). */
  readonly log: string[];
}

/** A component's cases of one visibility. */
export function casesOf(member: PlannedComponent, visibility: Visibility): PlannedCase[] {
  return member.cases.filter((planned) => planned.visibility === visibility);
}

/** "not run: the submission used up its total time limit (600 s)". */
export function submissionTimeUp(limits: Limits): string {
  return `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`;
}
