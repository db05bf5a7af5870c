import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Leaky ReLU: y = x for x > 0, α·x otherwise, element-wise (seed 004: 2837–2844; 000: 2694–2703;
 * 003: 164). Unlike ReLU its gradient never dies: ∂y/∂x = 1 for x > 0 and α otherwise, so
 * ∂L/∂x = ∂L/∂y · (x > 0 ? 1 : α). At exactly x = 0 the kit takes α, as ReLU takes 0 there
 * (004: 2841; 003: 166 takes 1; docs/conventions.md). α = 0.01 by default (004: 2844, 000: 2703;
 * 001: 189 uses 0.1).
 *
 * Handout: docs/exercises/3-regularization.md#leakyrelu
 */
export class LeakyReLU extends StatelessLayer {
  readonly name = 'LeakyReLU';
  readonly alpha: number;
  #input?: Tensor;

  constructor(options: { alpha?: number } = {}) {
    super();
    const alpha = options.alpha ?? 0.01;
    if (!(alpha >= 0 && alpha < 1)) throw new RangeError(`LeakyReLU expects alpha in [0, 1), got ${alpha}`);
    this.alpha = alpha;
  }

  forward(input: Tensor): Tensor {
    expectFinite(input, 'LeakyReLU.forward');
    this.#input = input;
    const x = input.data;
    const y = allocate(input.dtype, input.size);
    // BEGIN SOLUTION
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : this.alpha * x[i];
    // END SOLUTION
    return new Tensor(input.shape, y);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'LeakyReLU.backward');
    expectSameShape(input.shape, gradOutput.shape, 'LeakyReLU.backward', ['input', 'gradOutput']);
    const x = input.data;
    const dy = gradOutput.data;
    const dx = allocate(gradOutput.dtype, gradOutput.size);
    // BEGIN SOLUTION
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : this.alpha * dy[i];
    // END SOLUTION
    return new Tensor(input.shape, dx);
  }
}
