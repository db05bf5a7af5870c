import { describe, expect, it } from 'vitest';
import { challengePoints, challengePossible, checkThresholds } from '../../grader/challenge/challenge-points.js';
import { confusionMatrixSvg } from '../../grader/challenge/confusion-svg.js';
import { checkResult, parametersInWeightsFile } from '../../grader/challenge/grade-challenge.js';
import { hiddenSetMetrics } from '../../grader/challenge/hidden-set-metrics.js';
import { leaderboardRows } from '../../grader/challenge/leaderboard.js';
import { anonymousNickname, leaderboardNickname, nicknameProblem } from '../../grader/challenge/nickname.js';
import { gradebookCsv, gradescopeResults, summaryHtml } from '../../grader/report/class-outputs.js';
import { renderHtml, renderMarkdown } from '../../grader/report/render.js';
import { reportErrors } from '../../grader/report/validate-report.js';
import { course } from '../../course/course.js';
import { placeholderWeightsText } from '../../framework/challenge/placeholder-weights.js';
import { buildReport } from '../../grader/report/build-report.js';
import type { GradingPlan } from '../../grader/plan.js';
import type { Submission } from '../../grader/submissions/load.js';
import { challengeSpecExercise } from './challenge-fixture.js';
import { challengeReport, reportWithChallenge } from './challenge-reports.js';

/**
 * The challenge's arithmetic and outputs without a sandbox: points between thresholds, the metrics
 * from scores and labels, the checks on what a sandbox returned, nicknames, the leaderboard's order
 * and tie-break, and the challenge in report.json, report.html, report.md, summary.html, the gradebook
 * and Gradescope's results.json.
 */
const thresholds = [
  { accuracy: 0.8, points: 15, label: 'baseline' },
  { accuracy: 0.88, points: 30, label: 'strong' },
];

describe('challenge points', () => {
  it('gives 0 below the first threshold, each threshold its points, linear in between, the last points above', () => {
    expect(challengePoints(0, thresholds)).toBe(0);
    expect(challengePoints(0.7999, thresholds)).toBe(0);
    expect(challengePoints(0.8, thresholds)).toBe(15);
    expect(challengePoints(0.84, thresholds)).toBe(22.5); // halfway: 15 + 0.5 · 15
    expect(challengePoints(0.86, thresholds)).toBe(26.25);
    expect(challengePoints(0.88, thresholds)).toBe(30);
    expect(challengePoints(0.99, thresholds)).toBe(30);
    expect(challengePossible(thresholds)).toBe(30);
  });

  it('handles three thresholds piecewise and refuses thresholds that do not ascend or an accuracy outside [0, 1]', () => {
    const three = [...thresholds, { accuracy: 0.92, points: 40, label: 'stretch' }];
    expect(challengePoints(0.9, three)).toBe(35);
    expect(() => checkThresholds([])).toThrow(/at least one/);
    expect(() => checkThresholds([thresholds[1], thresholds[0]])).toThrow(/ascend strictly/);
    expect(() => challengePoints(Number.NaN, thresholds)).toThrow(/accuracy must be in \[0, 1\], got NaN/);
  });

  it('matches the course manifest: the challenge exercise has ascending thresholds and positive caps', () => {
    const exercise = course.exercises.find((e) => e.challenge);
    expect(exercise, 'course/course.ts has a challenge exercise').toBeDefined();
    const spec = exercise?.challenge;
    expect(() => checkThresholds(spec?.thresholds ?? [])).not.toThrow();
    for (const [cap, value] of Object.entries(spec?.caps ?? {})) expect(value, cap).toBeGreaterThan(0);
  });
});

describe('metrics from the returned scores', () => {
  it('takes the first maximum as the prediction and counts rows as true classes', () => {
    const scores = [
      [0.1, 0.9, 0],
      [0.5, 0.5, 0], // a tie: class 0 (the first maximum)
      [0, 0, 1],
      [0, 1, 0],
    ];
    const metrics = hiddenSetMetrics(scores, Uint8Array.from([1, 1, 2, 2]), 3);
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.confusionMatrix).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    expect(metrics.precision).toEqual([0, 0.5, 1]);
    expect(metrics.recall).toEqual([0, 0.5, 0.5]);
    expect(metrics.support).toEqual([0, 2, 2]);
  });

  it('accepts only { parameters, scores } with one row of finite numbers per image', () => {
    const good = {
      parameters: 10,
      scores: [
        [1, 2],
        [3, 4],
      ],
    };
    expect(checkResult(good, 2, 2)).toEqual(good);
    expect(checkResult([1, 2], 2, 2)).toMatch(/not \{ parameters, scores \}/);
    expect(checkResult({ ...good, parameters: 1.5 }, 2, 2)).toMatch(/parameter count is not a non-negative integer/);
    expect(checkResult({ ...good, scores: [[1, 2]] }, 2, 2)).toMatch(
      /the scores have 1 rows, expected one per hidden image \(2\)/,
    );
    expect(checkResult({ ...good, scores: [[1, 2], [3]] }, 2, 2)).toMatch(/the scores of image 1 are not 2 numbers/);
    expect(
      checkResult(
        {
          ...good,
          scores: [
            [1, 2],
            [3, Number.NaN],
          ],
        },
        2,
        2,
      ),
    ).toMatch(/the score of image 1 for class 1 is NaN/);
    expect(
      checkResult(
        {
          ...good,
          scores: [
            [1, '2'],
            [3, 4],
          ],
        },
        2,
        2,
      ),
    ).toMatch(/image 0 for class 1 is not a number/);
  });

  it('counts the parameters of a weights file, and says why a file cannot be read', () => {
    const weights = {
      format: 'dlkit-weights',
      version: 1,
      layers: [
        {
          name: 'A',
          parameters: { weight: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, bias: { shape: [3], data: [0, 0, 0] } },
          buffers: { mean: { shape: [3], data: [0, 0, 0] } },
        },
      ],
    };
    expect(parametersInWeightsFile(JSON.stringify(weights))).toBe(9); // buffers are not parameters
    expect(parametersInWeightsFile('{')).toMatch(/is not valid JSON/);
    expect(parametersInWeightsFile('[]')).toMatch(/is not a dlkit weights file/);
    expect(parametersInWeightsFile(placeholderWeightsText())).toMatch(
      /is the handout's placeholder, not trained weights \(.*npm run challenge:train/,
    );
  });
});

describe('nicknames', () => {
  it('accepts 1–24 printable characters of any script, and refuses controls, line breaks and padding', () => {
    expect(nicknameProblem('Ada & Grace')).toBeUndefined();
    expect(nicknameProblem('Žluťoučký kůň 🐎')).toBeUndefined();
    expect(nicknameProblem('')).toMatch(/0 characters/);
    expect(nicknameProblem('x'.repeat(25))).toMatch(/25 characters \(1–24 allowed\)/);
    expect(nicknameProblem('bad\u001b[2J')).toMatch(/not printable/);
    expect(nicknameProblem('two\nlines')).toMatch(/not printable/);
    expect(nicknameProblem('\u202eevil')).toMatch(/not printable/);
    expect(nicknameProblem(' padded')).toMatch(/space/);
  });

  it('defaults to an anonymous id that is stable, differs per student and never shows the login', () => {
    const id = anonymousNickname('dlkit', 's1234567');
    expect(id).toMatch(/^anon-[0-9a-f]{8}$/);
    expect(anonymousNickname('dlkit', 's1234567')).toBe(id);
    expect(anonymousNickname('dlkit', 's7654321')).not.toBe(id);
    expect(anonymousNickname('another course', 's1234567')).not.toBe(id);
    expect(id).not.toContain('1234567');
    expect(leaderboardNickname('dlkit', 's1234567', undefined)).toEqual({ nickname: id });
    const refused = leaderboardNickname('dlkit', 's1234567', 'x'.repeat(30));
    expect(refused.nickname).toBe(id);
    expect(refused.note).toMatch(/nickname is not used on the leaderboard: it has 30 characters/);
  });
});

describe('the leaderboard', () => {
  const reports = [
    reportWithChallenge('carol', { nickname: 'late equal', accuracy: 0.85, time: '2026-02-02T10:00:00Z' }),
    reportWithChallenge('alice', { nickname: 'best', accuracy: 0.9, time: '2026-02-05T10:00:00Z' }),
    reportWithChallenge('dave', { nickname: 'no time', accuracy: 0.85, time: null }),
    reportWithChallenge('bob', { nickname: 'early equal', accuracy: 0.85, time: '2026-02-01T10:00:00Z' }),
    reportWithChallenge('erin', { nickname: 'broken' }),
  ];

  it('ranks by accuracy, equal accuracies by the earlier submission (no time last), and leaves out unscored challenges', () => {
    expect(leaderboardRows(reports).map((row) => [row.rank, row.nickname])).toEqual([
      [1, 'best'],
      [2, 'early equal'],
      [3, 'late equal'],
      [4, 'no time'],
    ]);
    // The folder's order does not matter.
    expect(leaderboardRows([...reports].reverse()).map((row) => row.nickname)).toEqual([
      'best',
      'early equal',
      'late equal',
      'no time',
    ]);
  });

  it('shows nicknames escaped in summary.html, never the logins', () => {
    const html = summaryHtml([
      ...reports,
      reportWithChallenge('mallory', { nickname: '<img src=x onerror=a()>', accuracy: 0.5, time: null }),
    ]);
    const board = html.slice(
      html.indexOf('<table id="leaderboard">'),
      html.indexOf('</table>', html.indexOf('<table id="leaderboard">')),
    );
    expect(board).toContain('&lt;img src&#x3D;x onerror&#x3D;a()&gt;');
    expect(board).not.toMatch(/<img/);
    for (const login of ['alice', 'bob', 'carol', 'dave', 'mallory']) expect(board).not.toContain(login);
    expect(board).toContain('90.00%');
  });
});

describe('the challenge in the outputs', () => {
  it('fits the report schema, scored and failed', () => {
    expect(reportErrors(reportWithChallenge('alice', { nickname: 'best', accuracy: 0.9, time: null }))).toEqual([]);
    expect(reportErrors(reportWithChallenge('erin', { nickname: 'broken' }))).toEqual([]);
    const lying = reportWithChallenge('erin', { nickname: 'broken' });
    expect(
      reportErrors({ ...lying, challenge: { ...lying.challenge, points: { earned: 5, possible: 20 } } }).join('; '),
    ).toMatch(/challenge\/points\/earned/);
  });

  it('draws the confusion matrix as an escaped SVG heat map with a per-class table in report.html', () => {
    const report = reportWithChallenge('alice', { nickname: 'best', accuracy: 0.8, time: null });
    const html = renderHtml(
      { ...report, challenge: challengeReport(0.8, ['<script>x</script>', 'Trouser', 'Bag & co']) },
      { handoutBase: '' },
    );
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="confusion-matrix"');
    expect(html.match(/<g class="cell"/g)?.length).toBe(9);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).toContain('Bag &amp; co');
    expect(html).toContain('id="challenge-classes"');
    expect(() => confusionMatrixSvg([[1, 2]], ['a'])).toThrow(/needs 1 columns per row/);
    const failed = renderHtml(reportWithChallenge('erin', { nickname: 'broken' }), { handoutBase: '' });
    expect(failed).toContain('the model does not compile: exercises/challenge/model.ts:3:1: Expected &quot;)&quot;');
    expect(failed).not.toContain('<svg');
    expect(renderMarkdown(report, { handoutBase: '' })).toMatch(/Accuracy \*\*80\.00%\*\*: 17\.5 \/ 20 points/);
  });

  it("puts the points and accuracy in the gradebook and the value in Gradescope's leaderboard format", () => {
    const reports = [
      reportWithChallenge('alice', { nickname: 'best', accuracy: 0.9, time: null }),
      reportWithChallenge('erin', { nickname: 'broken' }),
    ];
    const lines = gradebookCsv(reports).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'student,declared_id,ex7,ex7_challenge_points,ex7_challenge_accuracy,public,hidden,total,possible,percent',
    );
    expect(lines[1]).toBe('alice,,20,20,0.9000,0,0,20,20,100');
    expect(lines[2]).toBe('erin,,0,0,,0,0,0,20,0');
    const results = gradescopeResults(reports[0]) as {
      leaderboard: unknown;
      tests: Array<{ name: string; score: number; max_score: number }>;
    };
    expect(results.leaderboard).toEqual([{ name: 'Accuracy', value: 0.9, order: 'desc' }]);
    expect(results.tests).toContainEqual(
      expect.objectContaining({ name: 'ex7 challenge: accuracy on the hidden test set', score: 20, max_score: 20 }),
    );
    expect((gradescopeResults(reports[1]) as { leaderboard?: unknown }).leaderboard).toBeUndefined();
  });
});

describe('the challenge in a report', () => {
  const ex7 = challengeSpecExercise();
  const plan = {
    course,
    kitRoot: '',
    seed: 1,
    fingerprint: '0123456789abcdef',
    exercises: [{ ...ex7, due: '2026-03-01T00:00:00Z' }],
    components: [],
    ownedFiles: [],
    warnings: [],
  } as unknown as GradingPlan;
  const submission = (nickname: string | undefined): Submission => ({
    id: 's1234567',
    source: 'folder',
    files: new Map(),
    accepted: [],
    ignored: [],
    declared: { nickname, hashMismatches: [] },
  });
  const isolation = { mode: 'bwrap', prlimit: true, warnings: [] } as const;
  const limits = { memoryBytes: 1 << 30, caseTimeoutMs: 10_000, fileTimeoutMs: 60_000, submissionTimeoutMs: 600_000 };
  const twoDaysLate = { time: new Date('2026-03-02T12:00:00Z'), source: 'lms' } as const;

  it('adds the challenge points to the exercise, takes the late penalty off them as off any points, and fills the leaderboard', () => {
    const challenge = challengeReport(0.9);
    const report = buildReport({
      submission: submission('Ada'),
      plan,
      outcome: { components: [], log: '' },
      isolation,
      limits,
      submittedAt: twoDaysLate,
      challenges: new Map([['ex7', challenge]]),
    });
    expect(reportErrors(report)).toEqual([]);
    const exercise = report.exercises[0];
    expect(exercise.challenge).toEqual(challenge.points);
    expect(exercise.raw.earned).toBe(challenge.points.earned);
    expect(exercise.late.penalty).toBe(0.2); // 10% a day, 2 days (course/course.ts latePolicy)
    expect(exercise.final.earned).toBeCloseTo(challenge.points.earned * 0.8, 3);
    expect(report.leaderboard).toEqual({ exercise: 'ex7', metric: 'accuracy', value: 0.9, nickname: 'Ada' });
  });

  it('gives a challenge that was not run 0 with a reason, and shows an anonymous id for a refused nickname', () => {
    const report = buildReport({
      submission: submission('bad\u0007name'),
      plan,
      outcome: { components: [], log: '' },
      isolation,
      limits,
      submittedAt: twoDaysLate,
    });
    expect(reportErrors(report)).toEqual([]);
    expect(report.challenge?.status).toBe('failed');
    expect(report.challenge?.reason).toMatch(/the challenge was not run/);
    expect(report.leaderboard).toBeNull();
    expect(report.notes.join(' ')).toMatch(
      /nickname is not used on the leaderboard: it holds a character that is not printable \(.*\); shown as anon-[0-9a-f]{8}/,
    );
  });
});
