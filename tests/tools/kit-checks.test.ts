import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  distinctiveSolutionLines,
  findSolutionText,
  findSolutionTextInTestHelpers,
} from '../../tools/checks/solution-text.js';
import { checkTestImports } from '../../tools/checks/test-imports.js';
import { checkExercisesUpToDate } from '../../tools/checks/up-to-date.js';
import { generateExercises } from '../../tools/generate.js';
import { loadKit } from '../../tools/kit.js';
import { kitRoot } from './fixture-kit.js';
import { buildKitHandout } from './kit-handout.js';

/**
 * The stub tool's static checks (DESIGN §6) on the kit's real course. The reference passing every
 * public test is the rest of this `npm test` run (tests/exN against solutions/); the stubs as a
 * student meets them are checked in kit-handout-*.test.ts; tests/tools/fixture-*.test.ts show each
 * check catching its mistake.
 */
const kit = await loadKit(kitRoot);
const list = (problems: string[]): string => `\n  ${problems.join('\n  ')}`;
let handout: ReturnType<typeof buildKitHandout>;
beforeAll(() => {
  handout = buildKitHandout();
}, 120_000);
afterAll(() => handout?.cleanup());

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
    const problems = [
      ...findSolutionText(kit, path.join(kit.root, 'exercises')),
      ...findSolutionText(kit, handout.folder, 'handout'),
    ];
    expect(problems, list(problems)).toEqual([]);
    expect(existsSync(path.join(handout.folder, 'solutions'))).toBe(false);
  });

  it('no solution line survives in the test helpers handed out with the tests (tests/helpers)', () => {
    const problems = findSolutionTextInTestHelpers(kit);
    expect(problems, list(problems)).toEqual([]);
  });

  it("each exercise's tests import only framework/, helpers and components of that exercise or earlier ones", () => {
    const problems = checkTestImports(kit);
    expect(problems, list(problems)).toEqual([]);
  });
});
