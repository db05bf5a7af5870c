import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Fills a new parameter tensor. `fanIn` and `fanOut` are the numbers of inputs and outputs of one
 * unit: for FullyConnected(in, out) they are `in` and `out`; for Conv they are `inC·∏k` and `outC·∏k`.
 */
export interface Initializer {
  initialize(shape: readonly number[], fanIn: number, fanOut: number, rng: Rng): Tensor;
}
