import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeBatch, outputFolderName, type BatchResult } from '../../grader/batch.js';
import { buildSamples, listRecipes, submissionNameOf } from '../../grader/samples/build-samples.js';
import { reportErrors } from '../../grader/report/validate-report.js';
import type { Report } from '../../grader/report/report-types.js';
import { chromiumMissing, launchChromium } from '../../tools/browser/chromium.js';
import { expectChallenge } from './challenge-expectations.js';
import { batchOptions, kitRoot, TEST_LIMITS, temporaryFolder } from './helpers.js';

/**
 * The challenge samples (the reference's strong model, the baseline a student starts from, a model file
 * that does not compile) graded as `npm run grade` grades them, Exercise 7 only: each gets what its
 * recipe promises (grader/samples/<name>/sample.json, `expect.challenge`), the reference ranks first,
 * and summary.html shows the leaderboard in Chromium. The slowest test file of the grader's challenge
 * tests: the two real models score 2,000 hidden images each (6 s and 15 s wall on this 2-core machine at
 * load average 15) after Exercise 7's public checks (which score the validation set: about as long).
 */
const CHALLENGE_SAMPLES = ['reference', 'challenge-baseline', 'challenge-broken-model'];
const recipes = listRecipes(kitRoot).filter((r) => CHALLENGE_SAMPLES.includes(r.name));
let result: BatchResult;
let out: string;
const reports = new Map<string, Report>();

beforeAll(async () => {
  const root = temporaryFolder('challenge-samples');
  const submissions = await buildSamples(kitRoot, path.join(root, 'submissions'));
  out = path.join(root, 'out');
  // The public checks of Exercise 7 score validation images: the case limit of a real run, not the machinery tests' 5 s.
  result = await gradeBatch(
    batchOptions(submissions, out, {
      exercises: ['ex7'],
      only: recipes.map((r) => submissionNameOf(r.name, r.recipe)),
      jobs: 2,
      gradescope: true,
      limits: { ...TEST_LIMITS, caseTimeoutMs: 30_000, fileTimeoutMs: 120_000 },
    }),
  );
  for (const report of result.reports) reports.set(report.student.id, report);
}, 600_000);

describe('the challenge samples', () => {
  it('writes valid reports with a challenge section for each', () => {
    expect(recipes.map((r) => r.name).sort()).toEqual([...CHALLENGE_SAMPLES].sort());
    for (const report of result.reports) {
      expect(reportErrors(report), report.student.id).toEqual([]);
      expect(report.challenge, report.student.id).toBeDefined();
    }
  });

  for (const name of CHALLENGE_SAMPLES) {
    it(`${name}: gets what its recipe promises`, () => {
      const recipe = recipes.find((r) => r.name === name);
      const report = recipe ? reports.get(submissionNameOf(name, recipe.recipe)) : undefined;
      if (!recipe?.recipe.expect.challenge || !report)
        throw new Error(`sample ${name} has no challenge expectation or no report`);
      expectChallenge(report, recipe.recipe.expect.challenge, result.reports);
    });
  }

  it('puts the challenge points in the exercise, the gradebook and Gradescope', () => {
    const reference = reports.get('reference') as Report;
    const ex7 = reference.exercises.find((e) => e.id === 'ex7');
    expect(ex7?.challenge).toEqual(reference.challenge?.points);
    expect(ex7?.raw.earned).toBeCloseTo(
      (ex7?.public.earned ?? 0) + (ex7?.hidden.earned ?? 0) + (reference.challenge?.points.earned ?? 0),
      3,
    );
    const gradebook = readFileSync(path.join(out, 'gradebook.csv'), 'utf8');
    expect(gradebook.split('\r\n')[0]).toContain('ex7_challenge_points,ex7_challenge_accuracy');
    const results = JSON.parse(
      readFileSync(path.join(out, 'students', outputFolderName('reference'), 'results.json'), 'utf8'),
    ) as { leaderboard?: unknown };
    expect(results.leaderboard).toEqual([{ name: 'Accuracy', value: reference.challenge?.accuracy, order: 'desc' }]);
  });

  it('shows the leaderboard in Chromium: the reference first, nicknames as text, the broken model not on it', async () => {
    expect(chromiumMissing()).toBeUndefined();
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(path.join(out, 'summary.html')).href);
      const nicknames = await page.locator('#leaderboard tbody tr .nickname').allTextContents();
      expect(nicknames).toEqual(['the reference', '<i>baseline</i> & co']);
      expect(await page.locator('#leaderboard i').count()).toBe(0);
      await page.goto(pathToFileURL(path.join(out, 'students', outputFolderName('reference'), 'report.html')).href);
      expect(await page.locator('svg.confusion-matrix g.cell').count()).toBe(100);
    } finally {
      await close();
    }
  }, 60_000);
});
