import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { checkStubFailures } from '../../tools/checks/stub-failures.js';
import { loadKit } from '../../tools/kit.js';
import type { TestResults } from '../../tools/scoreboard/test-records.js';
import { kitRoot } from './fixture-kit.js';
import { buildKitHandout } from './kit-handout.js';

const kit = await loadKit(kitRoot);
let handout: ReturnType<typeof buildKitHandout>;
beforeAll(() => {
  handout = buildKitHandout();
}, 120_000);
afterAll(() => handout?.cleanup());

describe('tools kit handout run', () => {
  it("every public test fails with NotImplementedError in the handout's npm test, and the scoreboard says not started", () => {
    if (!kit.course.exercises.some((exercise) => existsSync(path.join(handout.folder, exercise.publicTests)))) {
      // Until an exercise has public tests there is nothing to run; this keeps the check honest about it.
      expect(kit.course.exercises.every((exercise) => !existsSync(path.join(kit.root, exercise.publicTests)))).toBe(
        true,
      );
      return;
    }
    const resultsFile = path.join(handout.scratch, 'results.json');
    const run = spawnSync('npm', ['test'], {
      cwd: handout.folder,
      encoding: 'utf8',
      env: cleanEnvironment({ DLKIT_RESULTS_JSON: resultsFile }),
    });
    expect(existsSync(resultsFile), `${run.stdout}${run.stderr}`).toBe(true);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as TestResults;
    const problems = checkStubFailures(results);
    expect(problems, `\n  ${problems.join('\n  ')}`).toEqual([]);
    expect(results.tests.length).toBeGreaterThan(0);
    expect(run.stdout).toContain('Scoreboard:');
    expect(run.stdout).not.toMatch(/^ {2}[✓◐✗] /m);
    // The first screen is the whole output: a line per component, no traces (issue: ~80 lines).
    const lines = `${run.stdout}${run.stderr}`.trim().split('\n');
    expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(90);
    expect(run.stdout).not.toMatch(/⎯⎯|at .*\.ts:\d+:\d+/);
    // The handout's whole suite (720 checks over six exercises), beside the kit's other tests.
  }, 300_000);

  it("the handout's npm run playground builds the page from the student's exercises/", () => {
    const site = path.join(handout.scratch, 'playground');
    const run = spawnSync('npm', ['run', 'playground', '--', '--build', site], {
      cwd: handout.folder,
      encoding: 'utf8',
      env: cleanEnvironment(),
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('from exercises/');
    for (const file of ['index.html', 'main.js', 'style.css', 'docs/exercises/1-feed-forward.md'])
      expect(existsSync(path.join(site, file)), file).toBe(true);
    // The stubs are in the page (tests/tools/playground.test.ts opens it in a browser).
    expect(readFileSync(path.join(site, 'main.js'), 'utf8')).toContain('is not implemented yet');
  }, 120_000);
});
