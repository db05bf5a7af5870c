import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStubFailures } from '../../tools/checks/stub-failures.js';
import { distinctiveSolutionLines, findSolutionText } from '../../tools/checks/solution-text.js';
import { checkTestImports } from '../../tools/checks/test-imports.js';
import { typecheckProject } from '../../tools/checks/typecheck.js';
import { checkExercisesUpToDate } from '../../tools/checks/up-to-date.js';
import { generateExercises } from '../../tools/generate.js';
import { loadKit } from '../../tools/kit.js';
import type { TestResults } from '../../tools/scoreboard/test-records.js';
import { kitRoot } from './fixture-kit.js';

/**
 * The stub tool's checks (DESIGN §6) on the kit's real course. The reference passing every public
 * test is the rest of this `npm test` run (tests/exN against solutions/). The stubs are checked the
 * way a student meets them: in a handout built by `npm run handout`, with the handout's own
 * tsconfig and `npm test` (node_modules linked from the kit; tests/tools/handout.test.ts does the
 * full `npm ci` on the fixture course). tests/tools/fixture-*.test.ts show each check catching its
 * mistake.
 */
const kit = await loadKit(kitRoot);
const list = (problems: string[]): string => `\n  ${problems.join('\n  ')}`;
let scratch: string;
let handout: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'dlkit-kit-handout-'));
  handout = path.join(scratch, 'handout');
  const build = spawnSync(process.execPath, [path.join(kitRoot, 'node_modules/tsx/dist/cli.mjs'), 'tools/handout.ts', '--out', handout], { cwd: kitRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run handout failed:\n${build.stdout}${build.stderr}`);
  symlinkSync(path.join(kitRoot, 'node_modules'), path.join(handout, 'node_modules'), 'dir');
}, 60_000);
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('tools kit checks', () => {
  it('exercises/ equals a fresh generation from solutions/ (else: run `npm run stubs`)', () => {
    const problems = checkExercisesUpToDate(kit);
    expect(problems, list(problems)).toEqual([]);
  });

  it('generation is deterministic: two runs give the same tree', () => {
    expect([...generateExercises(kit)]).toEqual([...generateExercises(kit)]);
  });

  it('no solution text or marker survives in exercises/ or in the handout', () => {
    expect(distinctiveSolutionLines(kit).length).toBeGreaterThan(kit.course.exercises.length);
    const problems = [...findSolutionText(kit, path.join(kit.root, 'exercises')), ...findSolutionText(kit, handout, 'handout')];
    expect(problems, list(problems)).toEqual([]);
    expect(existsSync(path.join(handout, 'solutions'))).toBe(false);
  });

  it("each exercise's tests import only framework/, helpers and components of that exercise or earlier ones", () => {
    const problems = checkTestImports(kit);
    expect(problems, list(problems)).toEqual([]);
  });

  // The handout's tsconfig compiles exercises/ with the public tests (#impl → exercises/), framework/,
  // course/ and the handout's tools: every stub type-checks, and the handout needs nothing it lacks.
  it('every stub, and the whole handout, type-checks', () => {
    const problems = typecheckProject(handout);
    expect(problems, list(problems)).toEqual([]);
  });

  it("every public test fails with NotImplementedError in the handout's npm test, and the scoreboard says not started", () => {
    const folders = kit.course.exercises.filter((exercise) => existsSync(path.join(handout, exercise.publicTests)));
    if (folders.length === 0) {
      // Until an exercise has public tests there is nothing to run; this keeps the check honest about it.
      expect(kit.course.exercises.every((exercise) => !existsSync(path.join(kit.root, exercise.publicTests)))).toBe(true);
      return;
    }
    const resultsFile = path.join(scratch, 'results.json');
    const env: NodeJS.ProcessEnv = { ...process.env, DLKIT_RESULTS_JSON: resultsFile, NO_COLOR: '1' };
    delete env.DLKIT_IMPL;
    const run = spawnSync('npm', ['test'], { cwd: handout, encoding: 'utf8', env });
    expect(existsSync(resultsFile), `${run.stdout}${run.stderr}`).toBe(true);
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as TestResults;
    const problems = checkStubFailures(results);
    expect(problems, list(problems)).toEqual([]);
    expect(run.stdout).toContain('Scoreboard:');
    expect(run.stdout).not.toMatch(/✓ done|◐ in progress|✗ crashed/);
  });
});
