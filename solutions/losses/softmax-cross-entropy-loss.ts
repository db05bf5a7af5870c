import { cached } from '../../framework/tensor/checks.js';
import { checkLossInputs, checkReduction, reductionFactor } from '../../framework/nn/loss-checks.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import type { Loss, Reduction } from '../../framework/nn/loss.js';

/**
 * SoftMax and cross-entropy fused, on logits z (no SoftMax layer before it):
 *   log ŷ_bk = z_bk − m_b − log Σ_j exp(z_bj − m_b),  m_b = max_j z_bj   (stable log-softmax)
 *   L = −Σ_b Σ_k y_bk · log ŷ_bk,                     divided by the batch size for 'mean'
 *   ∂L/∂z = ŷ − y,                                     divided by the batch size for 'mean'.
 * The gradient is the seed's "softmax loss" (004: 1450–1457, 000: 679–688); it assumes each target
 * row sums to 1, as a one-hot row does.
 *
 * Handout: docs/exercises/1-feed-forward.md#softmaxcrossentropyloss
 */
export class SoftmaxCrossEntropyLoss implements Loss {
  readonly name = 'SoftmaxCrossEntropyLoss';
  readonly reduction: Reduction;
  #probabilities?: Float64Array;
  #logits?: Tensor;
  #target?: Tensor;

  constructor(options: { reduction?: Reduction } = {}) {
    this.reduction = checkReduction(options.reduction ?? 'mean', 'SoftmaxCrossEntropyLoss');
  }

  forward(logits: Tensor, target: Tensor): number {
    checkLossInputs(logits, target, 'SoftmaxCrossEntropyLoss.forward');
    this.#logits = logits;
    this.#target = target;
    const z = logits.data;
    const y = target.data;
    const classes = logits.shape[logits.rank - 1];
    const probabilities = new Float64Array(z.length);
    const factor = reductionFactor(this.reduction, logits.shape[0]);
    let loss = 0;
    // BEGIN SOLUTION
    for (let row = 0; row < z.length; row += classes) {
      let largest = -Infinity;
      for (let k = 0; k < classes; k++) largest = Math.max(largest, z[row + k]);
      let total = 0;
      for (let k = 0; k < classes; k++) total += Math.exp(z[row + k] - largest);
      const logTotal = Math.log(total);
      for (let k = 0; k < classes; k++) {
        const logProbability = z[row + k] - largest - logTotal;
        probabilities[row + k] = Math.exp(logProbability);
        loss -= y[row + k] * logProbability;
      }
    }
    // END SOLUTION
    this.#probabilities = probabilities;
    return loss * factor;
  }

  backward(): Tensor {
    const logits = cached(this.#logits, 'SoftmaxCrossEntropyLoss.backward');
    const probabilities = cached(this.#probabilities, 'SoftmaxCrossEntropyLoss.backward');
    const y = cached(this.#target, 'SoftmaxCrossEntropyLoss.backward').data;
    const grad = allocate(logits.dtype, logits.size);
    const factor = reductionFactor(this.reduction, logits.shape[0]);
    // BEGIN SOLUTION
    for (let i = 0; i < grad.length; i++) grad[i] = (probabilities[i] - y[i]) * factor;
    // END SOLUTION
    return new Tensor(logits.shape, grad);
  }
}
