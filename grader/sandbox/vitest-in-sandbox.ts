/**
 * What a test file's `import { expect } from 'vitest'` gets inside the sandbox. `expect` belongs in a
 * check's `verify`, which the orchestrator runs outside the sandbox; a `run` that calls it is a kit bug,
 * and this says so instead of bundling vitest into every student's process.
 */
const outsideVerify = (): never => {
  throw new Error("vitest's expect is for a check's verify, which runs in the orchestrator; run must return data");
};

export const expect = outsideVerify;
export const describe = outsideVerify;
export const it = outsideVerify;
export const beforeAll = outsideVerify;
