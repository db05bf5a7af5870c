import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typecheckProject } from '../../tools/checks/typecheck.js';
import { buildKitHandout } from './kit-handout.js';

let handout: ReturnType<typeof buildKitHandout>;
beforeAll(() => {
  handout = buildKitHandout();
}, 120_000);
afterAll(() => handout?.cleanup());

describe('tools kit handout type-check', () => {
  // The handout's tsconfig compiles exercises/ with the public tests (#impl → exercises/), framework/,
  // course/ and the handout's tools: every stub type-checks, and the handout needs nothing it lacks.
  it('every stub, and the whole handout, type-checks', () => {
    const problems = typecheckProject(handout.folder);
    expect(problems, `\n  ${problems.join('\n  ')}`).toEqual([]);
  });
});
