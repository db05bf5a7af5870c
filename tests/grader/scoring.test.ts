import { describe, expect, it } from 'vitest';
import { buildReport } from '../../grader/report/build-report.js';
import { reportErrors } from '../../grader/report/validate-report.js';
import type { ExerciseSpec } from '../../course/course.js';
import type { GradingPlan, PlannedCase } from '../../grader/plan.js';
import type { SubmissionOutcome } from '../../grader/grade-submission.js';
import type { CaseReport } from '../../grader/report/report-types.js';
import { training } from '../harness/checks.js';

/** A one-exercise course with a due date, built by hand. */
const exercise: ExerciseSpec = {
  id: 'ex6',
  number: 6,
  title: 'Challenge',
  handout: 'docs/exercises/6-challenge.md',
  publicTests: 'tests/ex6',
  hiddenTests: 'grader/hidden/ex6',
  due: '2026-03-01T12:00:00Z',
  components: [
    {
      name: 'Classifier',
      files: ['challenge/classifier.ts'],
      handout: 'docs/exercises/6-challenge.md#classifier',
      points: 10,
    },
  ],
};
const planned = (id: string, visibility: 'public' | 'hidden', possible: number): PlannedCase => ({
  key: `Classifier/${id}`,
  id,
  title: id,
  visibility,
  kind: 'training',
  possible,
  check: training({ title: id, run: () => 0, verify: () => undefined }),
});
const cases = [planned('fit', 'public', 10), planned('hidden-test-set', 'hidden', 20)];
const plan: GradingPlan = {
  course: {
    name: 'test course',
    exercises: [exercise],
    latePolicy: { percentPerDay: 10, maxPercent: 50, graceMinutes: 0 },
  },
  kitRoot: '.',
  seed: 3,
  fingerprint: '0123456789abcdef',
  exercises: [exercise],
  components: [{ exercise, component: exercise.components[0], cases, webgpu: false, isolate: false }],
  ownedFiles: ['challenge/classifier.ts'],
  warnings: [],
};
const results: CaseReport[] = [
  { id: 'fit', title: 'fit', visibility: 'public', possible: 10, earned: 10, status: 'passed', reason: '' },
  {
    id: 'hidden-test-set',
    title: 'hidden-test-set',
    visibility: 'hidden',
    possible: 20,
    earned: 20,
    status: 'passed',
    reason: '',
    metric: 0.875,
  },
];
const outcome: SubmissionOutcome = { components: [{ planned: plan.components[0], cases: results }], log: '' };
const submission = {
  id: 'alice',
  source: 'folder' as const,
  files: new Map([['challenge/classifier.ts', '']]),
  accepted: [],
  ignored: [],
  declared: undefined,
};
const isolation = { mode: 'bwrap' as const, prlimit: true, warnings: [] };
const limits = { memoryBytes: 1 << 30, caseTimeoutMs: 10_000, fileTimeoutMs: 60_000, submissionTimeoutMs: 600_000 };

describe('grader scoring', () => {
  it('applies the late policy to the exercise and sums public and hidden points', () => {
    const report = buildReport({
      submission,
      plan,
      outcome,
      isolation,
      limits,
      submittedAt: { time: new Date('2026-03-02T13:00:00Z'), source: 'lms' },
    });
    expect(reportErrors(report)).toEqual([]);
    expect(report.leaderboard).toBeNull();
    expect(report.exercises[0].late).toEqual({ daysLate: 2, penalty: 0.2 });
    expect(report.exercises[0].raw).toEqual({ earned: 30, possible: 30 });
    expect(report.exercises[0].final).toEqual({ earned: 24, possible: 30 });
    expect(report.total.percent).toBe(80);
    expect(report.total.public).toEqual({ earned: 10, possible: 10 });
    expect(report.total.hidden).toEqual({ earned: 20, possible: 20 });
  });

  it('does not penalise a submission whose time is unknown, and says where a time came from', () => {
    const report = buildReport({
      submission,
      plan,
      outcome,
      isolation,
      limits,
      submittedAt: { time: undefined, source: 'unknown' },
    });
    expect(report.exercises[0].late.penalty).toBe(0);
    const selfReported = buildReport({
      submission,
      plan,
      outcome,
      isolation,
      limits,
      submittedAt: { time: new Date('2026-03-01T11:00:00Z'), source: 'self-reported' },
    });
    expect(selfReported.notes.join(' ')).toMatch(/student's own clock/);
  });
});
