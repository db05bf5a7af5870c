import { full } from '../../framework/tensor/create.js';
import { ValueError } from '../../framework/errors.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Every element set to one value (default 0.1). Meant for biases: "Bias units can simply be
 * initialized to zero. Using ReLUs a small positive constant (0.1) is better because of the dying
 * ReLU issue" (seed 004: 3952–3955; 003: 335–337 suggests 0.01). Never for weights: identical
 * weights get identical gradients and never become different (004: 3957–3962).
 *
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export class Constant implements Initializer {
  readonly name = 'Constant';

  constructor(readonly value = 0.1) {
    if (!Number.isFinite(value)) throw new ValueError(`Constant: value must be a finite number, got ${value}`);
  }

  initialize(shape: readonly number[], _fanIn: number, _fanOut: number, _rng: Rng): Tensor {
    // BEGIN SOLUTION
    return full(shape, this.value);
    // END SOLUTION
  }
}
