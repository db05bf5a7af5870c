import { checkFans } from '../../framework/nn/initializer-checks.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Xavier / Glorot, uniform: w ~ U[−r, r) with r = √(6 / (fanIn + fanOut)), the same variance as
 * Xavier's normal form, because Var(U[−r, r)) = r²/3 = 2 / (fanIn + fanOut).
 * Seed 003: 302–305 ("Uniform distribution between ±r, with r = √(3/fan_avg)"), 004: 3984–3993.
 *
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export class XavierUniform implements Initializer {
  readonly name = 'XavierUniform';

  initialize(shape: readonly number[], fanIn: number, fanOut: number, rng: Rng): Tensor {
    checkFans(fanIn, fanOut, 'XavierUniform.initialize');
    // BEGIN SOLUTION
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return rng.uniformTensor(shape, -limit, limit);
    // END SOLUTION
  }
}
