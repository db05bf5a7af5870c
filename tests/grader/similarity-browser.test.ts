import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main as grade } from '../../grader/cli.js';
import { GraderSetupError } from '../../grader/plan.js';
import { buildSamples } from '../../grader/samples/build-samples.js';
import type { SimilarityResult } from '../../grader/similarity/similarity-types.js';
import { writeSimilarity } from '../../grader/similarity/write-similarity.js';
import { chromiumMissing, launchChromium } from '../../tools/browser/chromium.js';
import { kitRoot, temporaryFolder } from './helpers.js';

/**
 * similarity.html over the bundled samples (what `npm run grade -- --similarity` and
 * `npm run similarity` write), opened in a real headless browser: the statement that similarity is
 * not a verdict, the threshold, the flagged pairs, and the hostile samples' names shown as text.
 * Exercise 1 only, to stay fast; the samples' code differs in ex1 (broken and hostile variants).
 */
let out: string;
let submissions: string;

beforeAll(async () => {
  const root = temporaryFolder('similarity');
  submissions = await buildSamples(kitRoot, path.join(root, 'submissions'));
  out = path.join(root, 'out');
  await writeSimilarity({ kitRoot, submissions, out, exercises: ['ex1'] });
}, 120_000);

describe('similarity.html over the samples', () => {
  it('writes similarity.json with every readable sample and the unreadable one named', () => {
    const result = JSON.parse(readFileSync(path.join(out, 'similarity.json'), 'utf8')) as SimilarityResult;
    expect(result.schema).toBe('dlkit-similarity');
    expect(result.unreadable.map((u) => u.id)).toContain('hostile-corrupt-zip');
    expect(result.submissions).toContain('reference');
    const softmax = result.components.find((c) => c.component === 'SoftMax');
    // Most samples hand in the reference's SoftMax: one group, flagged; the stubs are in no pair.
    expect(softmax?.pairs[0].identical).toContain('reference');
    expect(
      softmax?.pairs.flatMap((p) => [
        p.left,
        p.right,
        ...(p.identical ?? []),
        ...(p.leftGroup ?? []),
        ...(p.rightGroup ?? []),
      ]),
    ).not.toContain('stubs');
  });

  it('shows the notice, the threshold, the flagged pairs and hostile names as text in Chromium', async () => {
    expect(chromiumMissing()).toBeUndefined();
    // A fresh, empty profile, removed on close; no network features (the report is a local file).
    const { context: browser, close } = await launchChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(path.join(out, 'similarity.html')).href);
      expect(await page.textContent('#not-a-verdict')).toContain('Similarity is evidence to look at, not a verdict.');
      expect(await page.textContent('#threshold')).toBe('60%');
      expect(Number(await page.textContent('#submission-count'))).toBeGreaterThan(20);
      expect(await page.locator('#overview tbody tr').count()).toBe(7); // Exercise 1's seven components
      expect(await page.locator('tr.pair.flagged').count()).toBeGreaterThan(0);
      // The hostile samples' names are text: no image, no script ran, the ESC shown as an escape.
      const body = (await page.textContent('body')) ?? '';
      expect(body).toContain('<img src=x onerror=alert(1)>');
      expect(body).toContain('\\x1b[2J');
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      // A flagged pair opens on its shared fragments, with line numbers on both sides.
      const fragment = page.locator('details.fragments[open] table.code').first();
      expect(await fragment.locator('td.ln').first().textContent()).toMatch(/^\d+$/);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('npm run grade -- --similarity', () => {
  it('refuses a threshold outside (0, 1] before grading anything', async () => {
    await expect(
      grade([submissions, '--similarity', '--similarity-threshold', '1.5', '--out', temporaryFolder('similarity-out')]),
    ).rejects.toThrow(GraderSetupError);
    await expect(
      grade([submissions, '--similarity', '--similarity-threshold', '1.5', '--out', temporaryFolder('similarity-out')]),
    ).rejects.toThrow(/in \(0, 1\]/);
  });
});
