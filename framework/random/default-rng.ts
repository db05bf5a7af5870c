import { Rng } from './rng.js';

/**
 * The generator layers use when none is passed in, like PyTorch's global generator:
 * seeded with 0 at start, reseeded by `manualSeed`. Pass an explicit `rng` where order matters.
 */
let shared = new Rng(0);

export function defaultRng(): Rng {
  return shared;
}

export function manualSeed(seed: number): void {
  shared = new Rng(seed);
}
