import type { ChallengeReport, Report } from '../../grader/report/report-types.js';

/**
 * Small, complete reports with a challenge section, for the tests of the leaderboard, the class outputs
 * and the report page (no grading needed): `accuracy` undefined makes a challenge that failed.
 */
export function challengeReport(
  accuracy: number | undefined,
  classNames: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover'],
): ChallengeReport {
  const thresholds = [
    { accuracy: 0.5, points: 10, label: 'baseline' },
    { accuracy: 0.9, points: 20, label: 'strong' },
  ];
  const caps = { weightsBytes: 4_194_304, parameters: 150_000, inferenceSeconds: 60 };
  if (accuracy === undefined) {
    return {
      exercise: 'ex7',
      status: 'failed',
      reason: 'the model does not compile: exercises/challenge/model.ts:3:1: Expected ")"',
      accuracy: null,
      points: { earned: 0, possible: 20 },
      thresholds,
      caps,
      measured: { weightsBytes: 100, parameters: null, inferenceSeconds: null },
      classes: [],
      confusionMatrix: null,
    };
  }
  const k = classNames.length;
  const matrix = classNames.map((_, actual) =>
    classNames.map((__, predicted) => (actual === predicted ? 8 : actual === (predicted + 1) % k ? 2 : 0)),
  );
  return {
    exercise: 'ex7',
    status: 'scored',
    reason: '',
    accuracy,
    points: { earned: 10 + 10 * Math.max(0, Math.min(1, (accuracy - 0.5) / 0.4)), possible: 20 },
    thresholds,
    caps,
    measured: { weightsBytes: 1000, parameters: 7850, inferenceSeconds: 1.5 },
    classes: classNames.map((name) => ({ name, precision: 0.8, recall: 0.8, f1: 0.8, support: 10 })),
    confusionMatrix: matrix,
  };
}

export function reportWithChallenge(
  id: string,
  options: { nickname: string; accuracy?: number; time?: string | null },
): Report {
  const challenge = challengeReport(options.accuracy);
  const score = { earned: challenge.points.earned, possible: challenge.points.possible };
  return {
    schema: 'dlkit-grader-report',
    version: 1,
    student: { id, source: 'folder', declaredId: null },
    course: 'dlkit: deep learning from scratch',
    seed: 1,
    fingerprint: '0123456789abcdef',
    submittedAt: { time: options.time ?? null, source: options.time ? 'lms' : 'unknown' },
    sandbox: {
      mode: 'bwrap',
      memoryLimitBytes: 1 << 30,
      caseTimeoutSeconds: 10,
      submissionTimeoutSeconds: 600,
      warnings: [],
    },
    files: { accepted: [], ignored: [], missing: [] },
    notes: [],
    exercises: [
      {
        id: 'ex7',
        title: 'The challenge',
        handout: 'docs/exercises/7-challenge.md',
        due: null,
        late: { daysLate: 0, penalty: 0 },
        public: { earned: 0, possible: 0 },
        hidden: { earned: 0, possible: 0 },
        raw: score,
        final: score,
        challenge: score,
        components: [],
      },
    ],
    total: {
      public: { earned: 0, possible: 0 },
      hidden: { earned: 0, possible: 0 },
      final: score,
      percent: (100 * score.earned) / score.possible,
    },
    challenge,
    leaderboard:
      challenge.accuracy === null
        ? null
        : { exercise: 'ex7', metric: 'accuracy', value: challenge.accuracy, nickname: options.nickname },
    complete: true,
  };
}
