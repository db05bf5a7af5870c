import { expect } from 'vitest';
import { leaderboardRows } from '../../grader/challenge/leaderboard.js';
import type { SampleExpectation } from '../../grader/samples/build-samples.js';
import type { Report } from '../../grader/report/report-types.js';

/**
 * A sample's `expect.challenge` (grader/samples/<name>/sample.json) against its report, where the
 * report has a challenge section (its exercise was graded): the points ('full', 'zero' or the label of
 * a threshold the accuracy must reach), the place on the leaderboard among `reports`, the reason.
 */
export function expectChallenge(
  report: Report,
  expected: NonNullable<SampleExpectation['challenge']>,
  reports: readonly Report[],
): void {
  const challenge = report.challenge;
  if (!challenge) throw new Error(`${report.student.id}: the report has no challenge section`);
  const shown = `${report.student.id}: ${challenge.status} ${challenge.accuracy ?? ''} ${challenge.points.earned}/${challenge.points.possible} ${challenge.reason}`;
  if (expected.points === 'full') expect(challenge.points.earned, shown).toBe(challenge.points.possible);
  else if (expected.points === 'zero') {
    expect(challenge.points.earned, shown).toBe(0);
    expect(challenge.status, shown).toBe('failed');
  } else if (expected.points !== undefined) {
    const threshold = challenge.thresholds.find((t) => t.label === expected.points);
    if (!threshold)
      throw new Error(`${report.student.id}: no threshold labelled '${expected.points}' (course/course.ts)`);
    expect(
      challenge.accuracy ?? 0,
      `${shown}: below the '${threshold.label}' threshold ${threshold.accuracy}`,
    ).toBeGreaterThanOrEqual(threshold.accuracy);
    expect(challenge.points.earned, shown).toBeGreaterThanOrEqual(threshold.points);
  }
  if (expected.reason !== undefined) expect(challenge.reason, shown).toContain(expected.reason);
  if (expected.rank !== undefined) {
    const rows = leaderboardRows(reports);
    const row = rows.find((r) => r.nickname === report.leaderboard?.nickname);
    expect(
      row?.rank,
      `${shown}; leaderboard: ${rows.map((r) => `${r.rank}. ${r.nickname} ${r.accuracy}`).join(', ')}`,
    ).toBe(expected.rank);
  }
}
