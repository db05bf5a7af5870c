import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSamples } from '../../grader/samples/build-samples.js';
import { chromiumMissing, launchChromium } from '../../tools/browser/chromium.js';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { kitRoot, MACHINERY_EXERCISES, TEST_LIMITS, TEST_SEED, temporaryFolder } from './helpers.js';

/**
 * The grader as an instructor runs it: the CLI in its own process. A run killed mid-batch and resumed
 * must end with the same reports as a run that was never interrupted, and report.html must show the
 * score in a real (headless) browser.
 */
const subset = ['reference', 'stubs', 'half-done', 'does-not-compile'];
let submissions: string;
let root: string;

function cli(
  args: string[],
  onStart?: (pid: number) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'grader/cli.ts', ...args], {
      cwd: kitRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnvironment(),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    if (child.pid !== undefined) onStart?.(child.pid);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

const common = () => [
  submissions,
  '--seed',
  String(TEST_SEED),
  '--case-timeout',
  String(TEST_LIMITS.caseTimeoutMs / 1000),
  '--file-timeout',
  String(TEST_LIMITS.fileTimeoutMs / 1000),
  ...MACHINERY_EXERCISES.flatMap((id) => ['--exercise', id]),
  ...subset.flatMap((name) => ['--only', name]),
];

const reportsIn = (out: string): Map<string, string> =>
  new Map(
    readdirSync(path.join(out, 'students'))
      .filter((name) => existsSync(path.join(out, 'students', name, 'report.json')))
      .map((name) => [name, readFileSync(path.join(out, 'students', name, 'report.json'), 'utf8')]),
  );

let whole: string;
let wholeRun: { code: number | null; output: string };

beforeAll(async () => {
  root = temporaryFolder('cli');
  submissions = await buildSamples(kitRoot, path.join(root, 'submissions'));
  whole = path.join(root, 'whole');
  wholeRun = await cli([...common(), '--out', whole, '--jobs', '2', '--quiet', '--similarity']);
}, 300_000);

describe('grader CLI', () => {
  it('resumes a run killed mid-batch and ends with the same reports as an uninterrupted run', async () => {
    expect(wholeRun.code, wholeRun.output).toBe(0);
    expect(reportsIn(whole).size).toBe(subset.length);
    // --similarity: the similarity report beside the reports (its content: tests/grader/similarity*.test.ts).
    for (const file of ['similarity.html', 'similarity.json'])
      expect(existsSync(path.join(whole, file)), `${file} after --similarity`).toBe(true);

    const interrupted = path.join(root, 'interrupted');
    let killedAfter = 0;
    const killed = await cli([...common(), '--out', interrupted, '--jobs', '1', '--quiet'], (pid) => {
      const poll = setInterval(() => {
        const done = existsSync(path.join(interrupted, 'students')) ? reportsIn(interrupted).size : 0;
        if (done >= 1) {
          killedAfter = done;
          clearInterval(poll);
          process.kill(-pid, 'SIGKILL');
        }
      }, 50);
    });
    expect(killed.signal, 'the first run should have been killed mid-batch').toBe('SIGKILL');
    expect(killedAfter).toBeGreaterThanOrEqual(1);
    expect(killedAfter).toBeLessThan(subset.length);

    const resumed = await cli([...common(), '--out', interrupted, '--jobs', '2', '--resume']);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toMatch(new RegExp(`${subset.length} submissions \\((\\d+) kept from an earlier run\\)`));
    const kept = Number(/\((\d+) kept from an earlier run\)/.exec(resumed.output)?.[1]);
    expect(kept).toBeGreaterThanOrEqual(killedAfter);
    expect(reportsIn(interrupted)).toEqual(reportsIn(whole));
    expect(readFileSync(path.join(interrupted, 'gradebook.csv'), 'utf8')).toBe(
      readFileSync(path.join(whole, 'gradebook.csv'), 'utf8'),
    );
    expect(resumed.output).toMatch(/student\s+ex1\s.*public\s+hidden\s+total/); // the closing summary table
  }, 300_000);

  it('shows the score in report.html opened in a headless browser', async () => {
    expect(chromiumMissing()).toBeUndefined();
    // A fresh, empty profile, removed on close; no network features (the report is a local file).
    const { context: browser, close } = await launchChromium();
    try {
      const page = await browser.newPage();
      const scores: Record<string, string> = {};
      let possible = 0;
      for (const student of ['reference', 'stubs', 'half-done']) {
        const report = JSON.parse(readFileSync(path.join(whole, 'students', student, 'report.json'), 'utf8')) as {
          total: { final: { earned: number; possible: number } };
        };
        possible = report.total.final.possible;
        await page.goto(pathToFileURL(path.join(whole, 'students', student, 'report.html')).href);
        scores[student] = (await page.textContent('#total-score'))?.trim() ?? '';
        expect(scores[student]).toContain(`${report.total.final.earned} / ${report.total.final.possible} points`);
      }
      // Every graded exercise's points (ex1 alone: 150).
      expect(possible).toBeGreaterThanOrEqual(150);
      expect(scores.reference).toBe(`${possible} / ${possible} points (100%)`);
      expect(scores.stubs).toBe(`0 / ${possible} points (0%)`);
      await page.goto(pathToFileURL(path.join(whole, 'students', 'stubs', 'report.html')).href);
      expect(await page.locator('.failure').count()).toBeGreaterThan(10);
      expect(await page.textContent('.failure')).toContain('not implemented yet');
    } finally {
      await close();
    }
  }, 120_000);
});
