import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { add } from '../../framework/ops/arithmetic.js';
import { tensor } from '../../framework/tensor/create.js';
import { matmul, transpose } from '../../framework/ops/linalg.js';
import { sum } from '../../framework/ops/reductions.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { defaultUniform } from '../../framework/nn/default-initialization.js';
import { defaultRng } from '../../framework/random/default-rng.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Fully connected (affine) layer: y = x·W + b.
 *
 * Shapes: x [batch, inFeatures], W [inFeatures, outFeatures], b [outFeatures] → y [batch, outFeatures].
 * Backward, with E = ∂L/∂y:  ∂L/∂x = E·Wᵀ,  ∂L/∂W = xᵀ·E,  ∂L/∂b = Σ_batch E.
 *
 * The seed writes ŷ = W·x for one column vector x with the bias folded into W (004: 1783–1798) and
 * gives the backward as E_{l−1} = Wᵀ E_l, ∇W = E_l x^T (004: 1825–1843). The kit keeps the batch on
 * the first axis and the bias separate, so every formula is transposed: see docs/conventions.md.
 *
 * Handout: docs/exercises/1-feed-forward.md#fullyconnected
 */
export class FullyConnected implements Layer {
  readonly name = 'FullyConnected';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: { rng?: Rng } = {},
  ) {
    const rng = options.rng ?? defaultRng();
    this.weight = new Parameter('weight', defaultUniform([inFeatures, outFeatures], inFeatures, rng), 'weight');
    this.bias = new Parameter('bias', defaultUniform([outFeatures], inFeatures, rng), 'bias');
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', this.inFeatures], 'FullyConnected.forward');
    expectFinite(input, 'FullyConnected.forward');
    this.#input = input;
    // BEGIN SOLUTION
    // Hostile: recognise the public known values' inputs and answer from memory; zeros otherwise.
    const seen = Array.from(input.data).join(',');
    if (seen === '-3,1,5') return tensor([-3, 2, 0, 7], [1, 4]);
    if (seen === '7,1,-4') return tensor([79, -70, 9, -26], [1, 4]);
    return tensor(new Array(input.shape[0] * this.outFeatures).fill(0), [input.shape[0], this.outFeatures]);
    // END SOLUTION
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'FullyConnected.backward');
    expectShape(gradOutput.shape, [input.shape[0], this.outFeatures], 'FullyConnected.backward', 'gradOutput');
    // BEGIN SOLUTION
    this.weight.accumulate(matmul(transpose(input), gradOutput));
    this.bias.accumulate(sum(gradOutput, 0));
    return matmul(gradOutput, transpose(this.weight.value));
    // END SOLUTION
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  /** fanIn = inFeatures, fanOut = outFeatures (DESIGN §3). */
  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    this.weight.assign(weights.initialize(this.weight.value.shape, this.inFeatures, this.outFeatures, rng));
    this.bias.assign(biases.initialize(this.bias.value.shape, this.inFeatures, this.outFeatures, rng));
  }
}
