import type { Limits } from '../grade-submission.js';
import type { GradingPlan } from '../plan.js';
import { GraderSetupError } from '../plan.js';
import type { ChallengeReport } from '../report/report-types.js';
import type { Isolation } from '../sandbox/isolation.js';
import type { Submission } from '../submissions/load.js';
import { gradeChallenge } from './grade-challenge.js';
import { HIDDEN_DATA_FOLDER, hiddenTestSet } from './hidden-test-set.js';
import { challengeExercise } from './unscored-challenge.js';

/** The challenge exercises of the plan, graded for one submission after its checks (batch.ts). */
export interface ChallengesOutcome {
  readonly reports: ReadonlyMap<string, ChallengeReport>;
  readonly log: string;
}

export async function gradeChallenges(
  submission: Submission,
  plan: GradingPlan,
  isolation: Isolation,
  limits: Limits,
): Promise<ChallengesOutcome> {
  const reports = new Map<string, ChallengeReport>();
  const log: string[] = [];
  for (const exercise of plan.exercises) {
    const spec = challengeExercise(exercise);
    if (!spec) continue;
    const outcome = await gradeChallenge({
      kitRoot: plan.kitRoot,
      exercise: spec,
      files: submission.files,
      isolation,
      memoryBytes: limits.memoryBytes,
      hidden: hiddenTestSet(plan.kitRoot),
    });
    reports.set(exercise.id, outcome.report);
    if (outcome.log) log.push(outcome.log);
  }
  return { reports, log: log.join('\n') };
}

/** Before anything is graded: a plan with a challenge needs the hidden test set (it ships with the grader only). */
export function checkChallengeData(plan: GradingPlan): void {
  if (!plan.exercises.some((exercise) => exercise.challenge)) return;
  try {
    const set = hiddenTestSet(plan.kitRoot);
    if (set.labels.length === 0) throw new Error('it holds no images');
  } catch (error) {
    throw new GraderSetupError(
      `the challenge's hidden test set (${HIDDEN_DATA_FOLDER}) cannot be read: ${(error as Error).message}; restore it from the grader's repository (git checkout ${HIDDEN_DATA_FOLDER}) or grade without the challenge (--exercise)`,
    );
  }
}
