import { checkFans } from '../../framework/nn/initializer-checks.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * He / Kaiming, uniform: w ~ U[−r, r) with r = √(6 / fanIn) = √(3σ²) for He's σ² = 2/fanIn, so both
 * forms have the same variance (seed 003: 328–331, "Uniform distribution between ±r, with r = √(3σ²)").
 *
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export class HeUniform implements Initializer {
  readonly name = 'HeUniform';

  initialize(shape: readonly number[], fanIn: number, fanOut: number, rng: Rng): Tensor {
    checkFans(fanIn, fanOut, 'HeUniform.initialize');
    // BEGIN SOLUTION
    const limit = Math.sqrt(6 / fanIn);
    return rng.uniformTensor(shape, -limit, limit);
    // END SOLUTION
  }
}
