import { registerKernel, runKernel } from '../../framework/backend/kernel-registry.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape, formatShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { mul, sub } from '../../framework/ops/arithmetic.js';
import { sum } from '../../framework/ops/reductions.js';
import { ShapeError } from '../../framework/errors.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * SoftMax over the last axis: ŷ_k = exp(x_k − m) / Σ_j exp(x_j − m), with m = max_j x_j.
 * Subtracting the row maximum changes nothing mathematically and keeps exp from overflowing
 * (the seeds omit it; 000: 610's τ((1, 1000, 2)) needs it).
 * Backward (000: 609, the Jacobian diag(ŷ) − ŷŷᵀ applied to E = ∂L/∂ŷ):
 *   ∂L/∂x = ŷ ⊙ (E − Σ_k E_k ŷ_k).
 * Seed 004: 1409–1436 (the softmax table), 000: 600–610.
 *
 * Handout: docs/exercises/1-feed-forward.md#softmax
 */
export function softmaxCpu(input: Tensor): Tensor {
  const x = input.data;
  const classes = input.shape[input.rank - 1];
  const y = allocate(input.dtype, input.size);
  // BEGIN SOLUTION
  for (let row = 0; row < x.length; row += classes) {
    let largest = -Infinity;
    for (let k = 0; k < classes; k++) largest = Math.max(largest, x[row + k]);
    let total = 0;
    for (let k = 0; k < classes; k++) {
      y[row + k] = Math.exp(x[row + k] - largest);
      total += y[row + k];
    }
    for (let k = 0; k < classes; k++) y[row + k] /= total;
  }
  // END SOLUTION
  return new Tensor(input.shape, y);
}

registerKernel('softmax', 'cpu', ([x]) => softmaxCpu(x));

export class SoftMax extends StatelessLayer {
  readonly name = 'SoftMax';
  #output?: Tensor;

  forward(input: Tensor): Tensor {
    if (input.rank < 1 || input.shape[input.rank - 1] === 0) {
      throw new ShapeError(
        `SoftMax.forward expected input [batch, classes] with at least one class, got ${formatShape(input.shape)}`,
      );
    }
    expectFinite(input, 'SoftMax.forward');
    this.#output = runKernel('softmax', [input]);
    return this.#output;
  }

  backward(gradOutput: Tensor): Tensor {
    const output = cached(this.#output, 'SoftMax.backward');
    expectSameShape(output.shape, gradOutput.shape, 'SoftMax.backward', ['output', 'gradOutput']);
    // BEGIN SOLUTION
    return mul(output, sub(gradOutput, sum(mul(gradOutput, output), -1, true)));
    // END SOLUTION
  }
}
