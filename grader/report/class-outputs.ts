import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { inertText, MAX_NAME_CHARACTERS } from './inert-text.js';
import { formatNumber } from './render.js';
import { leaderboardRows } from '../challenge/leaderboard.js';
import type { CaseStatus, ChallengeReport, Report } from './report-types.js';

/**
 * The class-level outputs: gradebook.csv (one row per student, one column per exercise), summary.html
 * (score distribution per exercise, the tests most students fail, the leaderboard) and, per student, a
 * Gradescope results.json.
 */

/**
 * One CSV cell, safe for spreadsheets: a cell starting with = + - @ tab or CR is prefixed with a single
 * quote (OWASP's advice against formula injection), then the cell is quoted and its quotes doubled.
 */
export function csvCell(value: string | number): string {
  let text = typeof value === 'number' ? formatNumber(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function gradebookCsv(reports: readonly Report[]): string {
  const exercises = reports[0]?.exercises.map((e) => e.id) ?? [];
  // A graded challenge adds its points (before the late penalty; already in its exercise's column) and its accuracy.
  const challenge = reports.find((r) => r.challenge)?.challenge?.exercise;
  const challengeHeader = challenge ? [`${challenge}_challenge_points`, `${challenge}_challenge_accuracy`] : [];
  const header = [
    'student',
    'declared_id',
    ...exercises,
    ...challengeHeader,
    'public',
    'hidden',
    'total',
    'possible',
    'percent',
  ];
  const rows = [...reports]
    .sort((a, b) => a.student.id.localeCompare(b.student.id))
    .map((r) => [
      r.student.id,
      r.student.declaredId ?? '',
      ...exercises.map((id) => r.exercises.find((e) => e.id === id)?.final.earned ?? 0),
      // The accuracy to 4 decimals (a cell's number has 2): one hidden image of 2,000 is 0.0005.
      ...(challenge ? [r.challenge?.points.earned ?? 0, r.challenge?.accuracy?.toFixed(4) ?? ''] : []),
      r.total.public.earned,
      r.total.hidden.earned,
      r.total.final.earned,
      r.total.final.possible,
      r.total.percent,
    ]);
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

interface SummaryModel {
  course: string;
  students: number;
  seed: number;
  exercises: Array<{
    id: string;
    title: string;
    possible: string;
    mean: string;
    median: string;
    bins: Array<{ label: string; count: number; width: number }>;
  }>;
  hardest: Array<{
    exercise: string;
    component: string;
    title: string;
    visibility: string;
    failed: number;
    reasons: string;
  }>;
  leaderboard: Array<{ rank: number; nickname: string; value: string; points: string; submittedAt: string }>;
  students_: Array<{ id: string; total: string; percent: string }>;
}

const BINS = 10;

export function summaryHtml(reports: readonly Report[]): string {
  const exercises = reports[0]?.exercises ?? [];
  const model: SummaryModel = {
    course: reports[0]?.course ?? '',
    students: reports.length,
    seed: reports[0]?.seed ?? 0,
    exercises: exercises.map((exercise) => {
      const scores = reports
        .map((r) => r.exercises.find((e) => e.id === exercise.id)?.final.earned ?? 0)
        .sort((a, b) => a - b);
      const possible = exercise.final.possible;
      const counts = new Array<number>(BINS).fill(0);
      for (const score of scores)
        counts[Math.min(BINS - 1, Math.floor((possible > 0 ? score / possible : 0) * BINS))]++;
      const most = Math.max(1, ...counts);
      return {
        id: exercise.id,
        title: exercise.title,
        possible: formatNumber(possible),
        mean: formatNumber(scores.reduce((t, s) => t + s, 0) / Math.max(1, scores.length)),
        median: formatNumber(scores.length ? scores[Math.floor((scores.length - 1) / 2)] : 0),
        bins: counts.map((count, i) => ({
          label: `${i * 10}–${i === BINS - 1 ? 100 : i * 10 + 9}%`,
          count,
          width: Math.round((100 * count) / most),
        })),
      };
    }),
    hardest: hardestCases(reports),
    // Nicknames only (grader/challenge/nickname.ts), never the login; made inert here and escaped by the template.
    leaderboard: leaderboardRows(reports).map((row) => ({
      rank: row.rank,
      nickname: inertText(row.nickname, MAX_NAME_CHARACTERS),
      value: `${(row.accuracy * 100).toFixed(2)}%`,
      points: formatNumber(row.points),
      submittedAt: row.submittedAt ?? 'unknown',
    })),
    students_: [...reports]
      .sort((a, b) => a.student.id.localeCompare(b.student.id))
      .map((r) => ({
        id: inertText(r.student.id, MAX_NAME_CHARACTERS),
        total: `${formatNumber(r.total.final.earned)} / ${formatNumber(r.total.final.possible)}`,
        percent: formatNumber(r.total.percent),
      })),
  };
  const template = Handlebars.create().compile(
    readFileSync(new URL('./templates/summary.hbs', import.meta.url), 'utf8'),
  );
  return template(model);
}

function hardestCases(reports: readonly Report[]): SummaryModel['hardest'] {
  const tally = new Map<
    string,
    {
      exercise: string;
      component: string;
      title: string;
      visibility: string;
      failed: number;
      statuses: Map<CaseStatus, number>;
    }
  >();
  for (const report of reports) {
    for (const exercise of report.exercises) {
      for (const component of exercise.components) {
        for (const c of component.cases) {
          const key = `${exercise.id}/${c.id}`;
          const entry = tally.get(key) ?? {
            exercise: exercise.id,
            component: component.name,
            title: c.title,
            visibility: c.visibility,
            failed: 0,
            statuses: new Map(),
          };
          if (c.status !== 'passed') {
            entry.failed++;
            entry.statuses.set(c.status, (entry.statuses.get(c.status) ?? 0) + 1);
          }
          tally.set(key, entry);
        }
      }
    }
  }
  return [...tally.values()]
    .filter((entry) => entry.failed > 0)
    .sort((a, b) => b.failed - a.failed || a.exercise.localeCompare(b.exercise))
    .slice(0, 15)
    .map(({ statuses, ...rest }) => ({
      ...rest,
      reasons: [...statuses].map(([status, n]) => `${status} ×${n}`).join(', '),
    }));
}

/** Gradescope's results.json for one student (https://gradescope-autograders.readthedocs.io, "Output format"). */
export function gradescopeResults(report: Report): unknown {
  const tests = report.exercises.flatMap((exercise) => [
    ...exercise.components.flatMap((component) =>
      component.cases.map((c) => ({
        name: `${exercise.id} ${component.name}: ${c.title}`,
        number: c.id,
        score: c.earned,
        max_score: c.possible,
        status: c.status === 'passed' ? 'passed' : 'failed',
        output: c.reason,
        visibility: c.visibility === 'hidden' ? 'after_published' : 'visible',
      })),
    ),
    ...(report.challenge?.exercise === exercise.id ? [challengeTest(report.challenge)] : []),
  ]);
  const lateDeduction = report.exercises.reduce((total, e) => total + (e.raw.earned - e.final.earned), 0);
  return {
    score: report.total.final.earned,
    output: `Public tests ${formatNumber(report.total.public.earned)} / ${formatNumber(report.total.public.possible)}, hidden tests ${formatNumber(report.total.hidden.earned)} / ${formatNumber(report.total.hidden.possible)}${lateDeduction > 0 ? `, late penalty −${formatNumber(lateDeduction)}` : ''}.`,
    stdout_visibility: 'hidden',
    tests,
    // Gradescope's leaderboard format (gradescope-autograders.readthedocs.io, "Leaderboards"): a top-level
    // array of { name, value, order }; Gradescope shows the pseudonym the student gives it, never a login.
    ...(report.leaderboard
      ? { leaderboard: [{ name: 'Accuracy', value: report.leaderboard.value, order: 'desc' }] }
      : {}),
  };
}

/** The challenge as one Gradescope test: its points and what decided them (the accuracy or the reason). */
function challengeTest(challenge: ChallengeReport): unknown {
  return {
    name: `${challenge.exercise} challenge: accuracy on the hidden test set`,
    number: 'challenge',
    score: challenge.points.earned,
    max_score: challenge.points.possible,
    status: challenge.status === 'scored' ? 'passed' : 'failed',
    output:
      challenge.status === 'scored'
        ? `Hidden test accuracy ${((challenge.accuracy ?? 0) * 100).toFixed(2)}%: ${formatNumber(challenge.points.earned)} of ${formatNumber(challenge.points.possible)} points.`
        : challenge.reason,
    visibility: 'visible',
  };
}
