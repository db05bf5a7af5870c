import fc from 'fast-check';
import type { Rng } from '../../framework/random/rng.js';

/**
 * Inputs for a property check, drawn by fast-check from the check's seed: the same inputs in the
 * student's run and the grader's public run, other inputs under a hidden seed. `run` computes the
 * outputs for each and returns them with the inputs; `verify` tests the law on each pair and names
 * the first sample that breaks it (there is no shrinking: the inputs are kept small instead).
 */
export function drawSamples<T>(arbitrary: fc.Arbitrary<T>, rng: Rng, count = 40): T[] {
  return fc.sample(arbitrary, { seed: rng.int(0x7fffffff), numRuns: count });
}

/** Finite doubles in [−bound, bound], no NaN or ∞ (DESIGN §5: none unless that is the point). */
export const finite = (bound = 10): fc.Arbitrary<number> =>
  fc.double({ min: -bound, max: bound, noNaN: true, noDefaultInfinity: true });

/** A [rows, columns] matrix as nested arrays of finite values. */
export const matrix = (
  rows: fc.Arbitrary<number>,
  columns: fc.Arbitrary<number>,
  bound = 10,
): fc.Arbitrary<number[][]> =>
  fc
    .tuple(rows, columns)
    .chain(([r, c]) =>
      fc.array(fc.array(finite(bound), { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
    );
