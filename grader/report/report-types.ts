/**
 * The per-student report, version 1 (grader/report/report.schema.json is its JSON Schema; tests
 * validate every report against it). Every string that came from a submission (file names, error
 * messages, the declared student id) is plain text here and escaped by each renderer.
 */
export const REPORT_SCHEMA_ID = 'dlkit-grader-report';
export const REPORT_VERSION = 1;

export type CaseStatus =
  | 'passed'
  | 'wrong'
  | 'error'
  | 'not-implemented'
  | 'does-not-compile'
  | 'timeout'
  | 'crashed'
  | 'not-submitted'
  | 'not-run';

export interface CaseReport {
  readonly id: string;
  readonly title: string;
  readonly visibility: 'public' | 'hidden';
  readonly possible: number;
  readonly earned: number;
  readonly status: CaseStatus;
  /** One or two sentences: what happened and what to do. Empty when passed. */
  readonly reason: string;
  /** Public cases only: where the first difference is, and both values when they are small. */
  readonly detail?: { readonly path: string; readonly expected?: string; readonly received?: string };
  /** Accuracy-type cases: the measured value. */
  readonly metric?: number;
}

export interface Score {
  readonly earned: number;
  readonly possible: number;
}

export interface ComponentReport {
  readonly name: string;
  readonly handout: string;
  readonly files: readonly string[];
  readonly public: Score;
  readonly hidden: Score;
  readonly cases: readonly CaseReport[];
}

export interface ExerciseReport {
  readonly id: string;
  readonly title: string;
  readonly handout: string;
  readonly due: string | null;
  readonly late: { readonly daysLate: number; readonly penalty: number };
  readonly public: Score;
  readonly hidden: Score;
  /** Public plus hidden, before the late penalty. */
  readonly raw: Score;
  /** After the late penalty: what the gradebook records. */
  readonly final: Score;
  /** A challenge exercise: the points of its hidden test set (in `raw` and `final`, not in `public` or `hidden`). */
  readonly challenge?: Score;
  readonly components: readonly ComponentReport[];
}

/**
 * A challenge exercise's result on the hidden test set (grader/challenge/): computed by the
 * orchestrator from the scores the sandbox returned. `status` 'failed' earns 0 and `reason` says why
 * (a missing or broken model, a cap broken); `reason` is empty when scored.
 */
export interface ChallengeReport {
  readonly exercise: string;
  readonly status: 'scored' | 'failed';
  readonly reason: string;
  /** Share of the hidden images whose highest score is their true class; null when not scored. */
  readonly accuracy: number | null;
  /** Before the exercise's late penalty. */
  readonly points: Score;
  readonly thresholds: ReadonlyArray<{ readonly accuracy: number; readonly points: number; readonly label: string }>;
  readonly caps: { readonly weightsBytes: number; readonly parameters: number; readonly inferenceSeconds: number };
  /** What the submission used of each cap (null: not measured, e.g. the model did not load). */
  readonly measured: {
    readonly weightsBytes: number | null;
    readonly parameters: number | null;
    readonly inferenceSeconds: number | null;
  };
  /** Per class, in class order (empty when not scored). */
  readonly classes: ReadonlyArray<{
    readonly name: string;
    readonly precision: number;
    readonly recall: number;
    readonly f1: number;
    readonly support: number;
  }>;
  /** counts[actual][predicted] (rows: true classes); null when not scored. */
  readonly confusionMatrix: ReadonlyArray<readonly number[]> | null;
}

export interface Report {
  readonly schema: typeof REPORT_SCHEMA_ID;
  readonly version: typeof REPORT_VERSION;
  readonly student: {
    readonly id: string;
    readonly source: 'folder' | 'zip';
    /** What submission.json says (the student's own word), or null. */
    readonly declaredId: string | null;
    /** sha256 of everything read from the submission; `--resume` grades it again when this changes. */
    readonly contentSha256?: string;
  };
  readonly course: string;
  readonly seed: number;
  readonly fingerprint: string;
  readonly submittedAt: { readonly time: string | null; readonly source: 'lms' | 'self-reported' | 'unknown' };
  readonly sandbox: {
    readonly mode: 'bwrap' | 'unshare' | 'none';
    readonly memoryLimitBytes: number;
    readonly caseTimeoutSeconds: number;
    readonly submissionTimeoutSeconds: number;
    readonly warnings: readonly string[];
  };
  readonly files: {
    readonly accepted: ReadonlyArray<{ readonly path: string; readonly from: string; readonly sha256: string }>;
    readonly ignored: ReadonlyArray<{ readonly path: string; readonly reason: string }>;
    readonly missing: readonly string[];
  };
  readonly notes: readonly string[];
  readonly exercises: readonly ExerciseReport[];
  readonly total: { readonly public: Score; readonly hidden: Score; readonly final: Score; readonly percent: number };
  /** The challenge's hidden-test result; absent when no challenge exercise was graded. */
  readonly challenge?: ChallengeReport;
  /** The challenge's accuracy under the student's leaderboard nickname (never the login); null when not scored. */
  readonly leaderboard: {
    readonly exercise: string;
    readonly metric: 'accuracy';
    readonly value: number;
    readonly nickname: string;
  } | null;
  /** Written last: a report without it (an interrupted run) is graded again by --resume. */
  readonly complete: true;
}
