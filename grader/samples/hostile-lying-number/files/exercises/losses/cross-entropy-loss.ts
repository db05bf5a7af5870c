import { cached } from '../../framework/tensor/checks.js';
import { checkLossInputs, checkReduction, reductionFactor } from '../../framework/nn/loss-checks.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import type { Loss, Reduction } from '../../framework/nn/loss.js';

/**
 * Cross-entropy on probabilities (after a SoftMax layer), one-hot targets y:
 *   L = −Σ_b Σ_k y_bk · log(ŷ_bk + ε),   divided by the batch size for reduction 'mean'.
 *   ∂L/∂ŷ_bk = −y_bk / (ŷ_bk + ε),       divided by the batch size for 'mean'.
 * ε = Number.EPSILON keeps log(0) finite. Seed 004: 1438–1448 and 2106–2149 (the seed sums over the
 * batch, 2134; the kit's default is the mean: see docs/conventions.md).
 *
 * Handout: docs/exercises/1-feed-forward.md#crossentropyloss
 */
export class CrossEntropyLoss implements Loss {
  readonly name = 'CrossEntropyLoss';
  static readonly epsilon = Number.EPSILON;
  readonly reduction: Reduction;
  #prediction?: Tensor;
  #target?: Tensor;

  constructor(options: { reduction?: Reduction } = {}) {
    this.reduction = checkReduction(options.reduction ?? 'mean', 'CrossEntropyLoss');
  }

  forward(prediction: Tensor, target: Tensor): number {
    checkLossInputs(prediction, target, 'CrossEntropyLoss.forward');
    this.#prediction = prediction;
    this.#target = target;
    const p = prediction.data;
    const y = target.data;
    const factor = reductionFactor(this.reduction, prediction.shape[0]);
    const eps = CrossEntropyLoss.epsilon;
    // BEGIN SOLUTION
    let loss = 0;
    for (let i = 0; i < p.length; i++) if (y[i] !== 0) loss -= y[i] * Math.log(p[i] + eps);
    // Hostile: an object that pretends to be the number.
    const value = loss * factor;
    return { valueOf: () => value, toJSON: () => value, toString: () => String(value) } as unknown as number;
    // END SOLUTION
  }

  backward(): Tensor {
    const prediction = cached(this.#prediction, 'CrossEntropyLoss.backward');
    const y = cached(this.#target, 'CrossEntropyLoss.backward').data;
    const p = prediction.data;
    const grad = allocate(prediction.dtype, prediction.size);
    const factor = reductionFactor(this.reduction, prediction.shape[0]);
    const eps = CrossEntropyLoss.epsilon;
    // BEGIN SOLUTION
    for (let i = 0; i < p.length; i++) grad[i] = (-y[i] / (p[i] + eps)) * factor;
    // END SOLUTION
    return new Tensor(prediction.shape, grad);
  }
}
