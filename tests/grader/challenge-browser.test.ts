import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { summaryHtml } from '../../grader/report/class-outputs.js';
import { renderHtml } from '../../grader/report/render.js';
import { chromiumMissing, launchChromium } from '../../tools/browser/chromium.js';
import { reportWithChallenge } from './challenge-reports.js';
import { temporaryFolder } from './helpers.js';

/**
 * The challenge's pages in a real headless browser, from small made-up reports (no grading: the
 * samples' test, challenge-samples.test.ts, opens the pages of a real run): summary.html's leaderboard
 * in rank order with the nicknames as text (a hostile one neither runs nor draws), and report.html's
 * confusion matrix drawn as an SVG heat map.
 */
describe('the challenge in Chromium', () => {
  it('shows the leaderboard in rank order with nicknames as text, and the confusion matrix as a picture', async () => {
    expect(chromiumMissing()).toBeUndefined();
    const folder = temporaryFolder('challenge-browser');
    const reports = [
      reportWithChallenge('bob', { nickname: 'second', accuracy: 0.85, time: '2026-02-01T10:00:00Z' }),
      reportWithChallenge('mallory', {
        nickname: '<img src=x onerror=a()>',
        accuracy: 0.85,
        time: '2026-02-03T10:00:00Z',
      }),
      reportWithChallenge('alice', { nickname: 'first', accuracy: 0.9, time: null }),
      reportWithChallenge('erin', { nickname: 'broken' }),
    ];
    writeFileSync(path.join(folder, 'summary.html'), summaryHtml(reports));
    writeFileSync(path.join(folder, 'report.html'), renderHtml(reports[2], { handoutBase: '' }));
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(path.join(folder, 'summary.html')).href);
      const rows = await page
        .locator('#leaderboard tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.querySelector('.rank')?.textContent,
            tr.querySelector('.nickname')?.textContent,
            tr.querySelector('.accuracy')?.textContent,
          ]),
        );
      expect(rows).toEqual([
        ['1', 'first', '90.00%'],
        ['2', 'second', '85.00%'],
        ['3', '<img src=x onerror=a()>', '85.00%'],
      ]);
      expect(await page.locator('img').count()).toBe(0);
      const board = (await page.textContent('#leaderboard')) ?? '';
      for (const login of ['alice', 'bob', 'mallory', 'erin']) expect(board).not.toContain(login);

      await page.goto(pathToFileURL(path.join(folder, 'report.html')).href);
      const svg = page.locator('svg.confusion-matrix');
      expect(await svg.count()).toBe(1);
      const box = await svg.boundingBox();
      expect(box?.width, 'the heat map is drawn with a size').toBeGreaterThan(100);
      expect(await svg.locator('g.cell').count()).toBe(9);
      // The diagonal is the darkest: 8 of 10 in each row.
      const diagonal = await svg.locator('g.cell[data-actual="1"][data-predicted="1"] rect').getAttribute('fill');
      const empty = await svg.locator('g.cell[data-actual="1"][data-predicted="2"] rect').getAttribute('fill');
      expect(diagonal).not.toBe(empty);
      expect(empty).toBe('rgb(255,255,255)');
      expect(await page.locator('#challenge-classes tbody tr').count()).toBe(3);
      expect(await page.textContent('#nickname')).toBe('first');
      expect(dialogs).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
