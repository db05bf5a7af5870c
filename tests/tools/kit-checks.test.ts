import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExercisesUpToDate } from '../../tools/checks/up-to-date.js';
import { findSolutionText, distinctiveSolutionLines } from '../../tools/checks/solution-text.js';
import { checkStubFailures } from '../../tools/checks/stub-failures.js';
import { runPublicTests } from '../../tools/checks/run-public-tests.js';
import { checkTestImports } from '../../tools/checks/test-imports.js';
import { typecheckProject } from '../../tools/checks/typecheck.js';
import { buildHandout } from '../../tools/handout/build-handout.js';
import { generateExercises } from '../../tools/generate.js';
import { loadKit } from '../../tools/kit.js';
import { kitRoot } from './fixture-kit.js';

/**
 * The stub tool's checks (DESIGN §6) on the kit itself. The reference passing every public test is
 * the rest of this `npm test` run (tests/exN against solutions/); tests/tools/fixture-course.test.ts
 * shows each check catching what it is for.
 */
const kit = await loadKit(kitRoot);
const list = (problems: string[]): string => `\n  ${problems.join('\n  ')}`;

describe('tools kit checks', () => {
  it('exercises/ equals a fresh generation from solutions/ (else: run `npm run stubs`)', () => {
    const problems = checkExercisesUpToDate(kit);
    expect(problems, list(problems)).toEqual([]);
  });

  it('generation is deterministic: two runs give the same tree', () => {
    expect([...generateExercises(kit)]).toEqual([...generateExercises(kit)]);
  });

  it('no solution text or marker survives in exercises/', () => {
    expect(distinctiveSolutionLines(kit).length).toBeGreaterThan(kit.course.exercises.length);
    const problems = findSolutionText(kit, path.join(kit.root, 'exercises'));
    expect(problems, list(problems)).toEqual([]);
  });

  it("each exercise's tests import only framework/, helpers and components of that exercise or earlier ones", () => {
    const problems = checkTestImports(kit);
    expect(problems, list(problems)).toEqual([]);
  });

  it('every public test fails on the stubs with NotImplementedError', () => {
    const results = runPublicTests(kit, 'exercises');
    const problems = checkStubFailures(results);
    expect(problems, list(problems)).toEqual([]);
  });

  // One type-check covers both: the handout's tsconfig compiles exercises/ with the public tests
  // (#impl → exercises/), framework/, course/ and the handout's tools, and nothing of solutions/.
  it('a handout builds from the kit, holds no solution text (the builder checks that), and it and every stub type-check', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'dlkit-kit-handout-'));
    try {
      expect(() => buildHandout(kit, out)).not.toThrow();
      // The handout's own tsconfig: framework, exercises, tests, course, tools; node_modules from the kit.
      symlinkSync(path.join(kit.root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
      const problems = typecheckProject(out);
      expect(problems, list(problems)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
