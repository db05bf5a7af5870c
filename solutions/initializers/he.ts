import { checkFans } from '../../framework/nn/initializer-checks.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * He / Kaiming, normal: w ~ N(0, σ²) with σ = √(2 / fanIn). A ReLU zeroes half of its inputs, so
 * the variance has to be twice Xavier's forward-pass 1/fanIn (seed 004: 3997–4000; 003: 328–331).
 *
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export class He implements Initializer {
  readonly name = 'He';

  initialize(shape: readonly number[], fanIn: number, fanOut: number, rng: Rng): Tensor {
    checkFans(fanIn, fanOut, 'He.initialize');
    // BEGIN SOLUTION
    const sigma = Math.sqrt(2 / fanIn);
    return rng.normalTensor(shape, 0, sigma);
    // END SOLUTION
  }
}
