import type { Report } from '../report/report-types.js';

/**
 * The class ranked by hidden-test accuracy (summary.html): every report with a leaderboard entry (a
 * scored challenge), highest accuracy first; equal accuracies go to the earlier submission (the LMS's
 * time, else submission.json's; a submission without a time after those with one), then by nickname so
 * the order never depends on the order of the folder. Ranks run 1, 2, 3… with no shared places: the
 * tie-break decides. Rows carry the nickname, never the student id.
 */
export interface LeaderboardRow {
  readonly rank: number;
  readonly nickname: string;
  readonly accuracy: number;
  readonly points: number;
  readonly submittedAt: string | null;
}

export function leaderboardRows(reports: readonly Report[]): LeaderboardRow[] {
  const entries = reports.flatMap((report) => (report.leaderboard ? [{ report, entry: report.leaderboard }] : []));
  const timeOf = (report: Report): number => {
    const time = report.submittedAt.time === null ? Number.NaN : Date.parse(report.submittedAt.time);
    return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
  };
  entries.sort(
    (a, b) =>
      b.entry.value - a.entry.value ||
      compareNumbers(timeOf(a.report), timeOf(b.report)) ||
      (a.entry.nickname < b.entry.nickname ? -1 : a.entry.nickname > b.entry.nickname ? 1 : 0),
  );
  return entries.map(({ report, entry }, index) => ({
    rank: index + 1,
    nickname: entry.nickname,
    accuracy: entry.value,
    points: report.challenge?.points.earned ?? 0,
    submittedAt: report.submittedAt.time,
  }));
}

/** a − b for finite times; equal infinities (two submissions without a time) are a tie. */
function compareNumbers(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
