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
  readonly components: readonly ComponentReport[];
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
  readonly leaderboard: { readonly exercise: string; readonly caseId: string; readonly metric: 'accuracy'; readonly value: number } | null;
  /** Written last: a report without it (an interrupted run) is graded again by --resume. */
  readonly complete: true;
}
