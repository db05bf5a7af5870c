import type { ChallengeSpec, ExerciseSpec } from '../../course/course.js';
import type { ChallengeReport } from '../report/report-types.js';
import { challengePossible } from './challenge-points.js';

/** A challenge that earned 0, with the reason and what was measured before it stopped. */
export function unscoredChallenge(
  exercise: ExerciseSpec & { readonly challenge: ChallengeSpec },
  reason: string,
  measured: ChallengeReport['measured'] = { weightsBytes: null, parameters: null, inferenceSeconds: null },
): ChallengeReport {
  const spec = exercise.challenge;
  return {
    exercise: exercise.id,
    status: 'failed',
    reason,
    accuracy: null,
    points: { earned: 0, possible: challengePossible(spec.thresholds) },
    thresholds: spec.thresholds.map((t) => ({ ...t })),
    caps: { ...spec.caps },
    measured,
    classes: [],
    confusionMatrix: null,
  };
}

/** The exercise's challenge spec, when it is a challenge exercise. */
export function challengeExercise(
  exercise: ExerciseSpec,
): (ExerciseSpec & { readonly challenge: ChallengeSpec }) | undefined {
  return exercise.challenge ? (exercise as ExerciseSpec & { readonly challenge: ChallengeSpec }) : undefined;
}
