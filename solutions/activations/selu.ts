import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Scaled exponential linear unit: y = λ·x for x > 0, λ·α·(eˣ − 1) otherwise, element-wise
 * (seed 004: 2861–2877, 3838–3854; 000: 2713–2718), with the fixed constants λ = 1.0507009873554805 and
 * α = 1.6732632423543772 (004: 2871–2873 and 3845 round them to 1.0507 and 1.6733). They are chosen so
 * that inputs with mean 0 and variance 1 give outputs with mean 0 and variance 1 ("Self-normalizing",
 * 004: 2876, 3845–3847). Backward: ∂y/∂x = λ for x > 0 and λ·α·eˣ = y + λ·α otherwise. (004: 2869
 * writes λ·α·f(x) for the negative branch: a seed error, docs/conventions.md §3.) As in ELU the slope
 * at exactly 0 is the negative branch's, λ·α.
 *
 * Handout: docs/exercises/3-regularization.md#selu
 */
export class SELU extends StatelessLayer {
  /** λ (004: 2871, 1.0507 there; Klambauer et al.'s value to double precision). */
  static readonly lambda = 1.0507009873554805;
  /** α (004: 2873, 1.6733 there). */
  static readonly alpha = 1.6732632423543772;
  readonly name = 'SELU';
  #input?: Tensor;

  forward(input: Tensor): Tensor {
    expectFinite(input, 'SELU.forward');
    this.#input = input;
    const { lambda, alpha } = SELU;
    const x = input.data;
    const y = allocate(input.dtype, input.size);
    // BEGIN SOLUTION
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? lambda * x[i] : lambda * alpha * Math.expm1(x[i]);
    // END SOLUTION
    return new Tensor(input.shape, y);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'SELU.backward');
    expectSameShape(input.shape, gradOutput.shape, 'SELU.backward', ['input', 'gradOutput']);
    const { lambda, alpha } = SELU;
    const x = input.data;
    const dy = gradOutput.data;
    const dx = allocate(gradOutput.dtype, gradOutput.size);
    // BEGIN SOLUTION
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? lambda * dy[i] : dy[i] * lambda * alpha * Math.exp(x[i]);
    // END SOLUTION
    return new Tensor(input.shape, dx);
  }
}
