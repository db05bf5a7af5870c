import { ShapeError } from '../../framework/errors.js';
import { cached } from '../../framework/tensor/checks.js';
import { formatShape } from '../../framework/tensor/shape.js';
import { checkLossInputs, checkReduction, reductionFactor } from '../../framework/nn/loss-checks.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import type { Loss, Reduction } from '../../framework/nn/loss.js';

/**
 * Per-step cross-entropy on logits for sequences: a softmax over the classes at every (b, t), then
 * the seed's sequence loss L = Σ_t L(ŷ_t, y_t) (004: 6031) summed over the batch too:
 *
 *   log ŷ_btk = z_btk − m_bt − log Σ_j exp(z_btj − m_bt),   m_bt = max_j z_btj   (stable log-softmax)
 *   L = −Σ_b Σ_t Σ_k y_btk · log ŷ_btk,      divided by batch·time for 'mean' (the default)
 *   ∂L/∂z = ŷ − y,                           divided by batch·time for 'mean'
 *
 * 'mean' averages over every step of every sequence, so the loss is "nats per character" whatever
 * the sequence length (a uniform guess over K classes scores ln K). Shapes: logits and one-hot
 * targets [batch, time, classes].
 *
 * The log-softmax rows are SoftmaxCrossEntropyLoss's (Exercise 1) written again, on purpose: both are
 * the student's own code, and sharing them would either hand Exercise 1's answer out as given code or
 * make Exercise 4's checks fail with a broken Exercise 1.
 *
 * Handout: docs/exercises/4-recurrent.md#sequencecrossentropyloss
 */
export class SequenceCrossEntropyLoss implements Loss {
  readonly name = 'SequenceCrossEntropyLoss';
  readonly reduction: Reduction;
  #probabilities?: Float64Array;
  #logits?: Tensor;
  #target?: Tensor;

  constructor(options: { reduction?: Reduction } = {}) {
    this.reduction = checkReduction(options.reduction ?? 'mean', 'SequenceCrossEntropyLoss');
  }

  forward(logits: Tensor, target: Tensor): number {
    if (logits.rank !== 3) {
      throw new ShapeError(
        `SequenceCrossEntropyLoss.forward expected logits [batch, time, classes], got ${formatShape(logits.shape)}`,
      );
    }
    checkLossInputs(logits, target, 'SequenceCrossEntropyLoss.forward');
    this.#logits = logits;
    this.#target = target;
    const z = logits.data;
    const y = target.data;
    const classes = logits.shape[2];
    const probabilities = new Float64Array(z.length);
    // 'mean' averages over every (b, t): the sum runs over batch·time rows of classes.
    const factor = reductionFactor(this.reduction, logits.shape[0] * logits.shape[1]);
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
    const logits = cached(this.#logits, 'SequenceCrossEntropyLoss.backward');
    const probabilities = cached(this.#probabilities, 'SequenceCrossEntropyLoss.backward');
    const y = cached(this.#target, 'SequenceCrossEntropyLoss.backward').data;
    const grad = allocate(logits.dtype, logits.size);
    const factor = reductionFactor(this.reduction, logits.shape[0] * logits.shape[1]);
    // BEGIN SOLUTION
    for (let i = 0; i < grad.length; i++) grad[i] = (probabilities[i] - y[i]) * factor;
    // END SOLUTION
    return new Tensor(logits.shape, grad);
  }
}
