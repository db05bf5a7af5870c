import { checkFans } from '../../framework/nn/initializer-checks.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Xavier / Glorot, normal: w ~ N(0, σ²) with σ = √(2 / (fanIn + fanOut)).
 * The forward pass wants Var(w) = 1/fanIn, the backward pass 1/fanOut; Xavier averages the two
 * (seed 004: 3984–3993; the same as 003: 302–305's variance 1/fan_avg). Derivation: Var(ŷ) =
 * N·Var(w)·Var(x) for zero-mean independent terms (004: 3966–3980).
 *
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export class Xavier implements Initializer {
  readonly name = 'Xavier';

  initialize(shape: readonly number[], fanIn: number, fanOut: number, rng: Rng): Tensor {
    checkFans(fanIn, fanOut, 'Xavier.initialize');
    // BEGIN SOLUTION
    const sigma = Math.sqrt(2 / (fanIn + fanOut));
    return rng.normalTensor(shape, 0, sigma);
    // END SOLUTION
  }
}
