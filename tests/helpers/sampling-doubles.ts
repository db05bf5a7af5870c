import { Rng } from '../../framework/index.js';
import { NotDataError } from '../harness/plain-data.js';

/**
 * Doubles and definitions for the Exercise 4 Sampling checks. The convention they check is the
 * documented one (docs/exercises/4-recurrent.md#sampling, docs/conventions.md): random sampling draws
 * exactly one u = rng.uniform() per sample and returns the first i with p_0 + … + p_i > u (strictly,
 * so a u exactly on a breakpoint of the cumulative distribution belongs to the element on its right,
 * and an element of probability 0 is never returned).
 */

/** A real Rng that records every uniform() it hands out, so verify can invert the CDF at the same u. */
export class RecordingRng extends Rng {
  readonly draws: number[] = [];
  override uniform(): number {
    const u = super.uniform();
    this.draws.push(u);
    return u;
  }
}

/** An Rng whose uniform() returns the given values in order (to put u exactly on a breakpoint). */
export class ScriptedRng extends Rng {
  readonly #values: number[];
  /** How many of the values were taken. */
  taken = 0;
  constructor(values: readonly number[]) {
    super(0);
    this.#values = [...values];
  }
  override uniform(): number {
    if (this.taken >= this.#values.length)
      throw new Error(
        `sampleRandom asked the Rng for more than ${this.#values.length} uniform number(s): one sample draws exactly one u = rng.uniform()`,
      );
    return this.#values[this.taken++];
  }
  override nextUint32(): number {
    throw new Error(
      'sampleRandom must draw its u with rng.uniform() (docs/exercises/4-recurrent.md#sampling), not from the raw bits of nextUint32()',
    );
  }
}

/** What withTemperature (or any function returning a distribution) returned, as plain numbers. */
export function distributionData(value: unknown, what: string): number[] {
  if (!(value instanceof Float64Array) && !(value instanceof Float32Array) && !Array.isArray(value))
    throw new NotDataError(`${what} returned ${value === null ? 'null' : typeof value}, not an array of probabilities`);
  return Array.from(value as ArrayLike<unknown>, (v) => {
    if (typeof v !== 'number') throw new NotDataError(`${what} returned an array holding a ${typeof v}`);
    return v;
  });
}

/** Verify side: the documented inversion, the first i with p_0 + … + p_i > u (the last possible element if rounding leaves the total ≤ u). */
export function inverseCdf(probabilities: readonly number[], u: number): number {
  // Running sums first, then a search: the same rule as the handout's, written another way than the reference.
  const running = probabilities.map((_, i) => probabilities.slice(0, i + 1).reduce((a, b) => a + b, 0));
  const possible = probabilities.flatMap((p, i) => (p > 0 ? [i] : []));
  return possible.find((i) => running[i] > u) ?? possible.at(-1) ?? 0;
}

/** Verify side: p_i^{1/τ} / Σ_j p_j^{1/τ}, in log space (004: 6534). */
export function tempered(probabilities: readonly number[], temperature: number): number[] {
  const largest = Math.max(...probabilities.map((p) => Math.log(p)));
  const raised = probabilities.map((p) => (p === 0 ? 0 : Math.exp((Math.log(p) - largest) / temperature)));
  const total = raised.reduce((a, b) => a + b, 0);
  return raised.map((v) => v / total);
}

/** Verify side: the first index of the largest probability. */
export function firstArgmax(probabilities: readonly number[]): number {
  return probabilities.indexOf(Math.max(...probabilities));
}

/** Run side: a random distribution over `size` elements from `rng`; `zeros` of them (never all) exactly 0. */
export function randomDistribution(rng: Rng, size: number, zeros = 0): number[] {
  const weights = Array.from({ length: size }, () => rng.uniformIn(0.05, 1));
  for (let k = 0; k < zeros; k++) weights[rng.int(size)] = 0;
  if (!weights.some((w) => w > 0)) weights[rng.int(size)] = 1;
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}
