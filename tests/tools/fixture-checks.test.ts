import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { checkExercisesUpToDate } from '../../tools/checks/up-to-date.js';
import { findSolutionText } from '../../tools/checks/solution-text.js';
import { checkTestImports } from '../../tools/checks/test-imports.js';
import { typecheckStubs } from '../../tools/checks/typecheck.js';
import { generateExercises, writeExercises } from '../../tools/generate.js';
import type { Kit } from '../../tools/kit.js';
import { createFixtureKit } from './fixture-kit.js';

/**
 * The static checks on the two-exercise fixture course: they pass on a good course, and each one
 * catches the mistake it exists for.
 */
let kit: Kit & { cleanup(): void };
beforeAll(async () => {
  kit = await createFixtureKit();
});
afterAll(() => kit?.cleanup());

const read = (file: string): string => readFileSync(path.join(kit.root, file), 'utf8');
const write = (file: string, text: string): void => writeFileSync(path.join(kit.root, file), text);
/** Runs `body` with `file` changed, then puts it back. */
const withChange = <T>(file: string, change: (text: string) => string, body: () => T): T => {
  const original = read(file);
  write(file, change(original));
  try {
    return body();
  } finally {
    write(file, original);
  }
};

describe('tools checks on the fixture course', () => {
  it('generates every marker kind as the stub design says', () => {
    expect(read('exercises/layers/doubler.ts')).toContain(
      "throw new NotImplementedError('ex1', 'Doubler.forward', 'docs/exercises/1-scaling.md#doubler');",
    );
    expect(read('exercises/layers/doubler.ts')).toContain(
      "return notImplemented('ex1', 'Doubler.backward', 'docs/exercises/1-scaling.md#doubler');",
    );
    expect(read('exercises/layers/doubler.ts')).toContain(
      "import { NotImplementedError, notImplemented } from '../../framework/errors.js';",
    );
    expect(read('exercises/activations/negate.ts')).toContain(
      "  // Hint: one loop over x.length; y[i] is the negative of x[i].\n  throw new NotImplementedError('ex1', 'Negate (negateCpu)',",
    );
    expect(read('exercises/kernels/double.wgsl')).toContain(
      '// dlkit:not-implemented ex1 Doubler docs/exercises/1-scaling.md#doubler',
    );
  });

  it('passes on the fixture: up to date, stubs type-check, no solution text, imports in order', () => {
    expect(checkExercisesUpToDate(kit)).toEqual([]);
    expect(findSolutionText(kit, path.join(kit.root, 'exercises'))).toEqual([]);
    expect(checkTestImports(kit)).toEqual([]);
    expect(typecheckStubs(kit)).toEqual([]);
  });

  it('running the stub tool twice changes nothing; `npm run stubs` stops on a bad marker with file:line', () => {
    expect(writeExercises(kit, generateExercises(kit))).toEqual({ written: [], removed: [] });
    // The CLI once, on a bad marker: it must stop with file:line and exit 1 (the good path is writeExercises above).
    const stubs = (): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, [path.join(kit.root, 'node_modules/tsx/dist/cli.mjs'), 'tools/stubs.ts'], {
        cwd: kit.root,
        encoding: 'utf8',
        env: cleanEnvironment(),
      });
    const bad = withChange(
      'solutions/activations/square.ts',
      (text) => text.replace('    // END SOLUTION\n  }\n\n  backward', '  }\n\n  backward'),
      stubs,
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'Bad solution marker: solutions/activations/square.ts:19: BEGIN SOLUTION inside the region opened at line 13: regions cannot nest',
    );
  });

  it('a solution edited without regenerating fails with "run `npm run stubs`"', () => {
    const problems = withChange(
      'solutions/layers/affine.ts',
      (text) => text.replace('scale(gradOutput, 3)', 'scale(gradOutput, 3.0)'),
      () => checkExercisesUpToDate(kit),
    );
    expect(problems.join('\n')).toMatch(
      /exercises\/ is out of date with solutions\/: run `npm run stubs`[\s\S]*exercises\/layers\/affine\.ts differs/,
    );
    expect(
      checkExercisesUpToDate({
        ...kit,
        course: {
          ...kit.course,
          exercises: [
            {
              ...kit.course.exercises[0],
              components: [{ ...kit.course.exercises[0].components[0], files: ['layers/afine.ts'] }],
            },
          ],
        },
      }),
    ).toEqual(['course/course.ts lists solutions/layers/afine.ts for ex1 Doubler, but there is no such file']);
    writeFileSync(path.join(kit.root, 'exercises/stray.ts'), 'export {};\n');
    expect(checkExercisesUpToDate(kit).join('\n')).toContain('exercises/stray.ts has no source in solutions/');
    expect(writeExercises(kit, generateExercises(kit)).removed).toEqual(['stray.ts']);
  });

  it('finds solution text that leaked into a student file, and a leftover marker', () => {
    appendFileSync(
      path.join(kit.root, 'exercises/layers/affine.ts'),
      '    output = addScalar(scale(input, 3), 1);\n// END SOLUTION\n',
    );
    const problems = findSolutionText(kit, path.join(kit.root, 'exercises'));
    writeExercises(kit, generateExercises(kit));
    expect(problems).toEqual([
      expect.stringMatching(
        /^exercises\/layers\/affine\.ts:\d+ contains solution text from solutions\/layers\/affine\.ts:12: output = addScalar/,
      ),
      expect.stringMatching(/^exercises\/layers\/affine\.ts:\d+ still has a solution marker/),
    ]);
  });

  it('rejects test imports of a later exercise, of solutions/ directly, unknown describe names and untested components', () => {
    const problems = withChange(
      'tests/ex1/doubler.test.ts',
      (text) =>
        text
          .replace(
            "import { Doubler } from '#impl/layers/doubler.js';",
            "import { Doubler } from '#impl/layers/doubler.js';\nimport { Affine } from '#impl/layers/affine.js';\nimport { Square } from '../../solutions/activations/square.js';",
          )
          .replace("componentChecks('ex1', 'Doubler'", "componentChecks('ex1', 'Tripler'"),
      () => checkTestImports(kit),
    );
    expect(problems).toEqual([
      "tests/ex1/doubler.test.ts:4: import '#impl/layers/affine.js' uses ex2 Affine, a later exercise than this test's",
      "tests/ex1/doubler.test.ts:5: import '../../solutions/activations/square.js' reaches the implementation directly: import it as #impl/…",
      "tests/ex1/doubler.test.ts:8: componentChecks must name 'ex1' and one of Doubler, Negate; got 'ex1 Tripler'",
      "tests/ex1: no describe('ex1 Doubler', …): every component of ex1 needs public tests (a test file ending in componentChecks('ex1', 'Doubler', …))",
    ]);
  });

  it('reports a stub that does not type-check with file and line', () => {
    // A variable declared inside the region and read after it: the stub removes the declaration.
    const problems = withChange(
      'solutions/activations/square.ts',
      (text) =>
        text.replace(
          '    return mul(input, input);\n    // END SOLUTION',
          '    const squared = mul(input, input);\n    // END SOLUTION\n    return squared;',
        ),
      () => {
        writeExercises(kit, generateExercises(kit));
        return typecheckStubs(kit);
      },
    );
    writeExercises(kit, generateExercises(kit));
    expect(problems).toEqual([
      expect.stringMatching(/^exercises\/activations\/square\.ts:\d+:\d+: Cannot find name 'squared'/),
    ]);
  });
});
