import { ValueError } from '../../framework/errors.js';
import type { Rng } from '../../framework/random/rng.js';

/**
 * Sampling strategies for a sequence model that outputs a probability distribution over the next
 * element (004: 6485–6536). Each takes one distribution p (non-negative, summing to 1) and returns
 * the index of the chosen element. Beam search (004: 6510–6524) needs the model itself, not one
 * distribution, and is left as an extension in the handout.
 *
 * Handout: docs/exercises/4-recurrent.md#sampling
 */
export type Distribution = ArrayLike<number>;

/** Throws a ValueError unless p is a probability distribution (within 1e-6 of summing to 1). */
export function checkDistribution(probabilities: Distribution, where: string): void {
  if (probabilities.length === 0) throw new ValueError(`${where}: the distribution is empty`);
  let total = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!Number.isFinite(p) || p < 0)
      throw new ValueError(
        `${where}: probability ${i} is ${p}; probabilities must be finite and non-negative (apply a softmax to logits first)`,
      );
    total += p;
  }
  if (Math.abs(total - 1) > 1e-6)
    throw new ValueError(`${where}: the probabilities sum to ${total}, not 1 (apply a softmax to logits first)`);
}

/** Greedy search (004: 6499–6506): the most likely element; the first one on a tie. */
export function sampleGreedy(probabilities: Distribution): number {
  checkDistribution(probabilities, 'sampleGreedy');
  let best = 0;
  // BEGIN SOLUTION
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
  // END SOLUTION
  return best;
}

/**
 * Random sampling (004: 6526–6530): element i with probability p_i, by inverting the cumulative
 * distribution at one uniform draw u ∈ [0, 1): the first i with p_0 + … + p_i > u. Draws exactly one
 * number from `rng`, so a seeded run repeats exactly.
 */
export function sampleRandom(probabilities: Distribution, rng: Rng): number {
  checkDistribution(probabilities, 'sampleRandom');
  const u = rng.uniform();
  // BEGIN SOLUTION
  let cumulative = 0;
  let lastPossible = 0;
  for (let i = 0; i < probabilities.length; i++) {
    if (probabilities[i] === 0) continue;
    cumulative += probabilities[i];
    lastPossible = i;
    if (u < cumulative) return i;
  }
  // Rounding can leave the total a hair under u; the last element that can occur takes the rest.
  return lastPossible;
  // END SOLUTION
}

/**
 * Temperature (004: 6532–6536): p̃_i = p_i^{1/τ} / Σ_j p_j^{1/τ}. τ < 1 sharpens the distribution
 * towards greedy, τ = 1 leaves it, τ > 1 flattens it towards uniform over the possible elements.
 * Computed as exp((log p_i − max_j log p_j)/τ) so that a small τ does not underflow every term.
 */
export function withTemperature(probabilities: Distribution, temperature: number): Float64Array {
  checkDistribution(probabilities, 'withTemperature');
  if (!Number.isFinite(temperature) || temperature <= 0)
    throw new ValueError(`withTemperature: temperature must be a positive number, got ${temperature}`);
  const out = new Float64Array(probabilities.length);
  // BEGIN SOLUTION
  let largestLog = -Infinity;
  for (let i = 0; i < probabilities.length; i++) largestLog = Math.max(largestLog, Math.log(probabilities[i]));
  let total = 0;
  for (let i = 0; i < probabilities.length; i++) {
    out[i] = probabilities[i] === 0 ? 0 : Math.exp((Math.log(probabilities[i]) - largestLog) / temperature);
    total += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= total;
  // END SOLUTION
  return out;
}

/** Random sampling from the distribution sharpened or flattened by `temperature`. */
export function sampleWithTemperature(probabilities: Distribution, temperature: number, rng: Rng): number {
  return sampleRandom(withTemperature(probabilities, temperature), rng);
}
