import type { Initializer } from '../../framework/nn/initializer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Independent draws from U[0, 1), ignoring the fans. The seeds only say "Small uniform/Gaussian
 * values work" (004: 3962) and name no range; [0, 1) is the range the FAU exercise uses and the one
 * DESIGN §3 fixes. Its mean is 1/2 and its variance 1/12.
 *
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export class UniformRandom implements Initializer {
  readonly name = 'UniformRandom';

  initialize(shape: readonly number[], _fanIn: number, _fanOut: number, rng: Rng): Tensor {
    // BEGIN SOLUTION
    return rng.uniformTensor(shape, 0, 1);
    // END SOLUTION
  }
}
