import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { buildHandout } from '../../tools/handout/build-handout.js';
import { handoutPackages, optionalHandoutPackages } from '../../tools/handout/handout-files.js';
import type { Kit } from '../../tools/kit.js';
import type { TestResults } from '../../tools/scoreboard/test-records.js';
import { createFixtureKit } from './fixture-kit.js';

/**
 * A student handout built from the fixture course, installed with its own `npm ci` (from the local
 * npm cache when it has the packages: --prefer-offline) and tested with its own `npm test`, as a
 * student would. Then Exercise 1 is solved (the reference copied in) and Exercise 2 half done, to see
 * the scoreboard a student sees; then pack-submission.
 */
let kit: Kit & { cleanup(): void };
let handout: string;
let scratch: string;

beforeAll(async () => {
  kit = await createFixtureKit();
  scratch = mkdtempSync(path.join(tmpdir(), 'dlkit-handout-test-'));
  handout = path.join(scratch, 'handout');
  buildHandout(kit, handout);
  const install = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: handout,
    encoding: 'utf8',
    env: cleanEnvironment(),
  });
  if (install.status !== 0) throw new Error(`npm ci failed in the handout:\n${install.stdout}${install.stderr}`);
}, 180_000);
afterAll(() => {
  kit?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** `npm test -- <args>` in the handout: exit status, the printed text, and the results as data. */
function npmTest(...args: string[]): { status: number | null; output: string; stdout: string; results: TestResults } {
  const resultsFile = path.join(scratch, 'results.json');
  rmSync(resultsFile, { force: true });
  const run = spawnSync('npm', ['test', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: handout,
    encoding: 'utf8',
    env: cleanEnvironment({ DLKIT_RESULTS_JSON: resultsFile }),
  });
  const output = `${run.stdout}${run.stderr}`;
  if (!existsSync(resultsFile)) throw new Error(`npm test wrote no results:\n${output}`);
  return {
    status: run.status,
    output,
    stdout: run.stdout,
    results: JSON.parse(readFileSync(resultsFile, 'utf8')) as TestResults,
  };
}

const solve = (file: string): void =>
  copyFileSync(path.join(kit.root, 'solutions', file), path.join(handout, 'exercises', file));

/**
 * Exercise 1 solved and Exercise 2 half done: Square solved, Affine's forward right and its backward
 * forgetting the factor 3. Idempotent, so each test that needs this state makes it itself and runs
 * alone as well as after the others (`-t` selects any of them).
 */
function solveExerciseOneAndHalfOfTwo(): void {
  solve('layers/doubler.ts');
  solve('activations/negate.ts');
  solve('activations/square.ts');
  const affine = path.join(handout, 'exercises/layers/affine.ts');
  writeFileSync(
    affine,
    readFileSync(affine, 'utf8')
      .replace(
        /throw new NotImplementedError\('ex2', 'Affine.forward'.*\n/,
        'output = addScalar(scale(input, 3), 1);\n',
      )
      .replace(/throw new NotImplementedError\('ex2', 'Affine.backward'.*\n/, 'return gradOutput;\n'),
  );
}

/** The scoreboard: from its title to the end of stdout (vitest prints failures on stderr). */
const scoreboardOf = (stdout: string): string => stdout.slice(stdout.indexOf('Scoreboard:'));

describe('tools student handout', () => {
  it('holds framework, exercises, public tests, handouts, data and tools, and nothing of the grader or the solutions', () => {
    for (const file of [
      'framework/index.ts',
      'exercises/layers/doubler.ts',
      'exercises/kernels/double.wgsl',
      'tests/ex1/doubler.test.ts',
      'tests/ex2/affine.test.ts',
      'tests/helpers/property.ts',
      'docs/exercises/1-scaling.md',
      'data/iris.csv',
      'course/course.ts',
      'tools/scoreboard/reporter.ts',
      'package-lock.json',
      'README.md',
    ]) {
      expect(existsSync(path.join(handout, file)), file).toBe(true);
    }
    for (const file of [
      'solutions',
      'grader',
      'tools/stub',
      'tools/checks',
      'tools/handout',
      'tests/tools',
      'tests/fixtures',
    ])
      expect(existsSync(path.join(handout, file)), file).toBe(false);
    const packageJson = JSON.parse(readFileSync(path.join(handout, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies?: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(packageJson.scripts.test).toBe('vitest run');
    // The kit's test packages and, as the kit has them, the WebGPU runtime; nothing of the grader or benchmarks.
    expect(
      [...Object.keys(packageJson.devDependencies), ...Object.keys(packageJson.dependencies ?? {})].sort(),
    ).toEqual([...handoutPackages, ...optionalHandoutPackages].sort());
    const lock = JSON.parse(readFileSync(path.join(handout, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    const kitLock = JSON.parse(readFileSync(path.join(kit.root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(lock.packages).every((entry) => entry in kitLock.packages)).toBe(true);
    expect(lock.packages['node_modules/vitest']).toEqual(kitLock.packages['node_modules/vitest']);
    expect(readFileSync(path.join(handout, 'README.md'), 'utf8')).toContain('npm test -- -t "ex2 Conv"');
  });

  it('building into a folder that is not empty is refused', () => {
    expect(() => buildHandout(kit, handout)).toThrow(/is not empty/);
  });

  it('npm test on the fresh handout: every exercise not started, nothing crashes', () => {
    const { status, output, stdout, results } = npmTest();
    expect(status).toBe(1);
    expect(output).not.toMatch(/Unhandled|TypeError|SyntaxError|Cannot find/);
    expect(results.failedModules).toEqual([]);
    expect(results.tests).toHaveLength(9);
    expect(results.tests.every((test) => test.state === 'failed' && test.error?.name === 'NotImplementedError')).toBe(
      true,
    );
    const board = scoreboardOf(stdout);
    // The exercise to start with lists its components; a later one not started is a single line.
    expect(board.match(/^ {2}○ /gm)).toHaveLength(2);
    expect(board).toMatch(/○ Doubler\s+0\/2 checks\s+0 \/ 6/);
    expect(board).toMatch(/○ Negate\s+0\/2 checks\s+0 \/ 4/);
    expect(board).toMatch(/^ex2 .*: 0 \/ 14 points, not started \(2 components\)$/m);
    expect(board).toContain(
      'Next: ex1 Doubler: read docs/exercises/1-scaling.md#doubler; then fill in exercises/layers/doubler.ts, exercises/kernels/double.wgsl.',
    );
    expect(board).not.toMatch(/crashed|✗|◐|✓/);
    // The first screen: one line per component, no stack traces (the compact reporter).
    expect(stdout).not.toMatch(/at .*\.ts:\d+|⎯⎯/);
    expect(stdout.trim().split('\n').length).toBeLessThan(30);
  });

  it('with Exercise 1 solved and Exercise 2 half done, the scoreboard and read-next lines say where the student stands', () => {
    solveExerciseOneAndHalfOfTwo();
    const { status, stdout } = npmTest();
    expect(status).toBe(1);
    const board = scoreboardOf(stdout);
    expect(board).toMatch(/✓ Doubler\s+2\/2 checks\s+6 \/ 6/);
    expect(board).toMatch(/✓ Negate\s+2\/2 checks\s+4 \/ 4/);
    expect(board).toContain('ex1  Scaling: 10 / 10 points');
    expect(board).toMatch(/✓ Square\s+2\/2 checks\s+5 \/ 5/);
    expect(board).toMatch(/◐ Affine\s+1\/3 checks\s+3 \/ 9/);
    expect(board).toContain('ex2  Polynomials: 8 / 14 points');
    // The first failure of the component in progress: what, expected and received, where to read, how to run it alone.
    expect(board).toContain('✗ known values › backward is 3 times the gradient');
    expect(board).toMatch(/AssertionError: expected \[ 2 \] to deeply equal \[ 6 \]/);
    expect(board).toContain(
      'read docs/exercises/2-polynomials.md#affine; 1 more failing; run only these: npm test -- -t "ex2 Affine"',
    );
    expect(board).not.toContain('Next:');
  });

  it('npm test -- ex2 runs one exercise, -t "ex2 Affine" one component', () => {
    solveExerciseOneAndHalfOfTwo();
    const exercise = scoreboardOf(npmTest('ex2').stdout);
    expect(exercise).toMatch(/Square/);
    expect(exercise).not.toMatch(/Doubler/);
    const component = npmTest('-t', 'ex2 Affine');
    expect(component.results.tests.filter((test) => test.state !== 'skipped').map((test) => test.group)).toEqual([
      'ex2 Affine',
      'ex2 Affine',
      'ex2 Affine',
    ]);
    const board = scoreboardOf(component.stdout);
    expect(board).toMatch(/Affine\s+1\/3 checks/);
    expect(board).not.toMatch(/Square|Doubler/);
    // One component alone: every failure in full.
    expect(board.match(/ {6}✗ /g)).toHaveLength(2);
  });

  it('pack-submission zips exactly the owned files with submission.json, and reports unexpected and missing files', () => {
    writeFileSync(path.join(handout, 'exercises/layers/my-helper.ts'), 'export const three = 3;\n');
    const pack = spawnSync('npm', ['run', 'pack-submission', '--', '--student', 's1234'], {
      cwd: handout,
      encoding: 'utf8',
      env: cleanEnvironment(),
    });
    expect(pack.status, pack.stdout + pack.stderr).toBe(0);
    expect(pack.stderr).toContain('! exercises/layers/my-helper.ts is not one of the files you submit');
    const entries = unzipSync(readFileSync(path.join(handout, 'submission-s1234.zip')));
    const owned = [
      'exercises/layers/doubler.ts',
      'exercises/kernels/double.wgsl',
      'exercises/activations/negate.ts',
      'exercises/activations/square.ts',
      'exercises/layers/affine.ts',
    ];
    expect(Object.keys(entries).sort()).toEqual(['submission.json', ...owned].sort());
    const manifest = JSON.parse(strFromU8(entries['submission.json'])) as {
      schema: number;
      studentId: string;
      kit: { version: string };
      files: { path: string; sha256: string; bytes: number }[];
    };
    expect(manifest).toMatchObject({ schema: 1, studentId: 's1234', kit: { version: expect.any(String) } });
    expect(manifest.files.map((file) => file.path)).toEqual(owned);
    expect(strFromU8(entries['exercises/layers/doubler.ts'])).toBe(
      readFileSync(path.join(handout, 'exercises/layers/doubler.ts'), 'utf8'),
    );
    expect(pack.stdout).toContain('exercises/kernels/double.wgsl: 1 stub still to fill in');

    rmSync(path.join(handout, 'exercises/activations/negate.ts'));
    const missing = spawnSync('npm', ['run', 'pack-submission', '--', '--student', 's1234', '--out', 'again.zip'], {
      cwd: handout,
      encoding: 'utf8',
      env: cleanEnvironment(),
    });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('✗ exercises/activations/negate.ts is missing');
    expect(existsSync(path.join(handout, 'again.zip'))).toBe(false);
  });
});
