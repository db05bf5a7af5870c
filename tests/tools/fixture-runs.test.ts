import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPublicTests } from '../../tools/checks/run-public-tests.js';
import { checkReferencePasses, checkStubFailures } from '../../tools/checks/stub-failures.js';
import type { Kit } from '../../tools/kit.js';
import { createFixtureKit } from './fixture-kit.js';

/**
 * The dynamic checks on the fixture course, each in a vitest child process: every public test fails
 * on the stubs with NotImplementedError, passes on the reference, and a test that would pass on a
 * stub, or fail there for another reason, is caught.
 */
let kit: Kit & { cleanup(): void };
beforeAll(async () => {
  kit = await createFixtureKit();
});
afterAll(() => kit?.cleanup());

describe('tools stub and reference runs on the fixture course', () => {
  it('every public test fails on the stubs with NotImplementedError, and passes on the reference', () => {
    const stubs = runPublicTests(kit, 'exercises');
    expect(stubs.tests.map((test) => [test.fullName, test.state, test.error?.name])).toEqual(
      expect.arrayContaining([
        ['ex1 Doubler > known values > forward doubles every element', 'failed', 'NotImplementedError'],
        ['ex1 Doubler > known values > backward doubles the gradient', 'failed', 'NotImplementedError'],
        ['ex1 Negate > known values > negates every element', 'failed', 'NotImplementedError'],
        ['ex1 Negate > properties > is its own inverse', 'failed', 'NotImplementedError'],
      ]),
    );
    expect(stubs.tests).toHaveLength(9);
    expect(checkStubFailures(stubs)).toEqual([]);
    const reference = runPublicTests(kit, 'solutions');
    expect(reference.tests).toHaveLength(9);
    expect(checkReferencePasses(reference)).toEqual([]);
    expect(reference.output).toMatch(/✓ Doubler\s+2\/2 checks\s+6 \/ 6/);
  });

  it('catches a test that passes on a stub and one that fails there with another error', () => {
    const file = path.join(kit.root, 'tests/ex1/doubler.test.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      original.replace(
        "export default componentChecks('ex1', 'Doubler', [",
        "export default componentChecks('ex1', 'Doubler', [\n  knownValue({ title: 'has a name', run: () => new Doubler().name, verify: (name) => expect(name).toBe('Doubler') }),\n" +
          // Swallows the stub's NotImplementedError and fails in verify instead: the check the tool must catch.
          "  knownValue({ title: 'rejects nothing', run: () => { try { new Doubler().forward(tensor([1], [1])); return 'ok'; } catch (error) { return String((error as Error).name); } }, verify: (outcome) => expect(outcome).toBe('ok') }),",
      ),
    );
    try {
      const problems = checkStubFailures(runPublicTests(kit, 'exercises'));
      expect(problems).toEqual([
        "tests/ex1/doubler.test.ts: 'ex1 Doubler > known values > has a name' passes on the stubs: it must exercise the student's code",
        expect.stringMatching(
          /^tests\/ex1\/doubler\.test\.ts: 'ex1 Doubler > known values > rejects nothing' fails on the stubs with AssertionError .*, not NotImplementedError$/,
        ),
      ]);
    } finally {
      writeFileSync(file, original);
    }
  });
});
