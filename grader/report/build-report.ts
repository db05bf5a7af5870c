import { latePenalty } from '../scoring/late-policy.js';
import type { SubmissionOutcome } from '../grade-submission.js';
import type { GradingPlan } from '../plan.js';
import type { Isolation } from '../sandbox/isolation.js';
import type { Submission } from '../submissions/load.js';
import type { Limits } from '../grade-submission.js';
import { inertText, MAX_NAME_CHARACTERS, MAX_REASON_CHARACTERS } from './inert-text.js';
import { challengeExercise, unscoredChallenge } from '../challenge/unscored-challenge.js';
import { leaderboardNickname } from '../challenge/nickname.js';
import type { ExerciseSpec } from '../../course/course.js';
import {
  REPORT_SCHEMA_ID,
  REPORT_VERSION,
  type ChallengeReport,
  type CaseReport,
  type ComponentReport,
  type ExerciseReport,
  type Report,
  type Score,
} from './report-types.js';

/** When the submission came in, and who said so (an LMS time beats the student's own timestamp). */
export interface SubmissionTime {
  readonly time: Date | undefined;
  readonly source: 'lms' | 'self-reported' | 'unknown';
}

/** Everything one student's report is built from: what was graded, how, when it came in, and what came out. */
export interface ReportInputs {
  readonly submission: Submission;
  readonly plan: GradingPlan;
  readonly outcome: SubmissionOutcome;
  readonly isolation: Isolation;
  readonly limits: Limits;
  readonly submittedAt: SubmissionTime;
  /**
   * The hidden-test result of each graded challenge exercise, by exercise id
   * (grader/challenge/grade-challenge.ts); a challenge exercise without one (the submission could not be
   * graded) gets 0 with a reason.
   */
  readonly challenges?: ReadonlyMap<string, ChallengeReport>;
}

/** Case points are rounded to 1e-6 (a third of 20 points…); sums are rounded to 1e-3 so 3 × 6.666667 shows as 20. */
const roundSum = (value: number): number => Math.round(value * 1000) / 1000;
const sum = (scores: readonly Score[]): Score => ({
  earned: roundSum(scores.reduce((total, s) => total + s.earned, 0)),
  possible: roundSum(scores.reduce((total, s) => total + s.possible, 0)),
});

/**
 * One student's report (report.schema.json): the exercise rows with their components and cases, the
 * challenge and its leaderboard entry, the notes, and the totals. Every text a student chose is made
 * inert here (inert-text.ts), except the id, which stays exact for --resume and the gradebook.
 */
export function buildReport(inputs: ReportInputs): Report {
  const { submission, plan } = inputs;
  const notes = submissionNotes(inputs);
  const challenges = plan.exercises.map((exercise) => challengeOf(exercise, inputs.challenges));
  const exercises = plan.exercises.map((exercise, e) => exerciseRow(exercise, challenges[e], inputs));
  // The first graded challenge exercise (the course has one) fills the report's challenge and leaderboard.
  const challenge = challenges.find((c) => c !== undefined);
  const { leaderboard, note } = challenge
    ? leaderboardEntry(challenge, inputs)
    : { leaderboard: null, note: undefined };
  if (note) notes.push(note);
  return {
    schema: REPORT_SCHEMA_ID,
    version: REPORT_VERSION,
    student: studentSection(submission),
    course: plan.course.name,
    seed: plan.seed,
    fingerprint: plan.fingerprint,
    submittedAt: {
      time: inputs.submittedAt.time ? inputs.submittedAt.time.toISOString() : null,
      source: inputs.submittedAt.source,
    },
    sandbox: sandboxSection(inputs.isolation, inputs.limits),
    files: filesSection(submission, plan),
    notes: notes.map((note) => inertText(note)),
    exercises,
    total: totals(exercises),
    ...(challenge ? { challenge } : {}),
    leaderboard,
    complete: true,
  };
}

/** The plan's warnings, a self-reported submission time, and what submission.json declared wrongly. */
function submissionNotes({ plan, submission, submittedAt }: ReportInputs): string[] {
  const notes: string[] = [...plan.warnings];
  if (submittedAt.source === 'self-reported')
    notes.push(
      "The submission time comes from submission.json (the student's own clock); pass --submitted-at with the LMS times to make it authoritative.",
    );
  for (const mismatch of submission.declared?.hashMismatches ?? []) notes.push(`submission.json: ${mismatch}`);
  return notes;
}

/** A challenge exercise's result (0 with a reason when it was not run), made inert; undefined for other exercises. */
function challengeOf(
  exercise: ExerciseSpec,
  challenges: ReadonlyMap<string, ChallengeReport> = new Map(),
): ChallengeReport | undefined {
  const spec = challengeExercise(exercise);
  return spec
    ? inertChallenge(
        challenges.get(exercise.id) ??
          unscoredChallenge(spec, 'the challenge was not run: the submission could not be graded (see the notes)'),
      )
    : undefined;
}

/**
 * An exercise's row: its components, public + hidden (+ challenge) points as `raw`, and `final` after
 * the late policy's penalty for this submission time.
 */
function exerciseRow(
  exercise: ExerciseSpec,
  challenge: ChallengeReport | undefined,
  { plan, outcome, submittedAt }: ReportInputs,
): ExerciseReport {
  const components = componentRows(exercise, outcome);
  const publicScore = sum(components.map((c) => c.public));
  const hiddenScore = sum(components.map((c) => c.hidden));
  const raw = sum([publicScore, hiddenScore, ...(challenge ? [challenge.points] : [])]);
  const late = latePenalty(submittedAt.time, exercise.due, plan.course.latePolicy);
  return {
    id: exercise.id,
    title: exercise.title,
    handout: exercise.handout,
    due: exercise.due ?? null,
    late,
    public: publicScore,
    hidden: hiddenScore,
    raw,
    final: { earned: roundSum(raw.earned * (1 - late.penalty)), possible: raw.possible },
    ...(challenge ? { challenge: challenge.points } : {}),
    components,
  };
}

/** The exercise's components as graded: their cases (made inert) and their public and hidden sums. */
function componentRows(exercise: ExerciseSpec, outcome: SubmissionOutcome): ComponentReport[] {
  return outcome.components
    .filter((c) => c.planned.exercise.id === exercise.id)
    .map(({ planned, cases: graded }) => {
      const cases = graded.map(inertCase);
      const visible = cases.filter((c) => c.visibility === 'public');
      const hidden = cases.filter((c) => c.visibility === 'hidden');
      return {
        name: planned.component.name,
        handout: planned.component.handout,
        files: planned.component.files.map((f) => `exercises/${f}`),
        public: sum(visible.map((c) => ({ earned: c.earned, possible: c.possible }))),
        hidden: sum(hidden.map((c) => ({ earned: c.earned, possible: c.possible }))),
        cases,
      };
    });
}

/**
 * The leaderboard entry of a scored challenge (null otherwise), under the student's nickname (never the
 * login), and a note for the report when the declared nickname was refused.
 */
function leaderboardEntry(
  challenge: ChallengeReport,
  { plan, submission }: ReportInputs,
): { leaderboard: Report['leaderboard']; note: string | undefined } {
  const shown = leaderboardNickname(plan.course.name, submission.id, submission.declared?.nickname);
  return {
    leaderboard:
      challenge.status === 'scored' && challenge.accuracy !== null
        ? { exercise: challenge.exercise, metric: 'accuracy', value: challenge.accuracy, nickname: shown.nickname }
        : null,
    note: shown.note,
  };
}

/** Who the student is: the id stays exact (it keys --resume and the gradebook); every renderer makes it inert. */
function studentSection(submission: Submission): Report['student'] {
  return {
    id: submission.id,
    source: submission.source,
    declaredId:
      submission.declared?.student === undefined ? null : inertText(submission.declared.student, MAX_NAME_CHARACTERS),
    ...(submission.contentSha256 ? { contentSha256: submission.contentSha256 } : {}),
  };
}

/** The sandbox the submission ran in: the isolation, its warnings, and the limits in the units the report shows. */
function sandboxSection(isolation: Isolation, limits: Limits): Report['sandbox'] {
  return {
    mode: isolation.mode,
    memoryLimitBytes: limits.memoryBytes,
    caseTimeoutSeconds: limits.caseTimeoutMs / 1000,
    submissionTimeoutSeconds: limits.submissionTimeoutMs / 1000,
    warnings: [...isolation.warnings],
  };
}

/** The files the grader took, those it ignored and why, and the owned files the submission lacks. */
function filesSection(submission: Submission, plan: GradingPlan): Report['files'] {
  const submitted = new Set(submission.files.keys());
  return {
    accepted: submission.accepted.map((file) => ({ ...file, from: inertText(file.from, MAX_NAME_CHARACTERS) })),
    ignored: submission.ignored.map((file) => ({
      path: inertText(file.path, MAX_NAME_CHARACTERS),
      reason: inertText(file.reason),
    })),
    missing: plan.ownedFiles.filter((f) => !submitted.has(f)).map((f) => `exercises/${f}`),
  };
}

/** The whole submission's public, hidden and final points, and the final points as a percentage. */
function totals(exercises: readonly ExerciseReport[]): Report['total'] {
  const final = sum(exercises.map((e) => e.final));
  return {
    public: sum(exercises.map((e) => e.public)),
    hidden: sum(exercises.map((e) => e.hidden)),
    final,
    percent: final.possible > 0 ? roundSum((100 * final.earned) / final.possible) : 0,
  };
}

/** A challenge's reason made inert and bounded (it may quote the student's error message). */
function inertChallenge(challenge: ChallengeReport): ChallengeReport {
  return { ...challenge, reason: inertText(challenge.reason, MAX_REASON_CHARACTERS) };
}

/** A case's student-derived text made inert and bounded (inert-text.ts): the reason, the place and the values shown. */
function inertCase(graded: CaseReport): CaseReport {
  const detail = graded.detail;
  return {
    ...graded,
    reason: inertText(graded.reason, MAX_REASON_CHARACTERS),
    ...(detail
      ? {
          detail: {
            path: inertText(detail.path, MAX_NAME_CHARACTERS),
            ...(detail.expected !== undefined ? { expected: inertText(detail.expected, MAX_NAME_CHARACTERS) } : {}),
            ...(detail.received !== undefined ? { received: inertText(detail.received, MAX_NAME_CHARACTERS) } : {}),
          },
        }
      : {}),
  };
}
