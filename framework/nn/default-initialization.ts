import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The weights a layer starts with before any initialiser is chosen, as in PyTorch's nn.Linear:
 * U(−1/√fanIn, 1/√fanIn). Given code, so that Exercise 1 does not depend on Exercise 2's initialisers.
 */
export function defaultUniform(shape: readonly number[], fanIn: number, rng: Rng): Tensor {
  const bound = 1 / Math.sqrt(Math.max(1, fanIn));
  return rng.uniformTensor(shape, -bound, bound);
}
