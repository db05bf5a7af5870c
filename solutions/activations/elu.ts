import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Exponential linear unit: y = x for x > 0, α·(eˣ − 1) otherwise, element-wise (seed 004: 2847–2859;
 * 000: 2708–2710; 001: 196–197; 003: 172–185). For large negative x it saturates at −α instead of 0,
 * which pulls the mean activation towards 0 ("Reduces shift in activations", 004: 2859), and its
 * gradient never dies: ∂y/∂x = 1 for x > 0 and α·eˣ otherwise (004: 2856), which equals y + α
 * (003: 177), so ∂L/∂x = ∂L/∂y · (x > 0 ? 1 : α·eˣ). Both branches give 0 at x = 0, so y is continuous;
 * the slope at exactly 0 is α, as 004 writes the branch (x > 0) and as LeakyReLU does
 * (docs/conventions.md §3). α = 1 by default (no seed gives a value; PyTorch's), α ≥ 0; α = 0 is ReLU.
 *
 * Handout: docs/exercises/3-regularization.md#elu
 */
export class ELU extends StatelessLayer {
  readonly name = 'ELU';
  readonly alpha: number;
  #input?: Tensor;

  constructor(options: { alpha?: number } = {}) {
    super();
    const alpha = options.alpha ?? 1;
    if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError(`ELU expects a finite alpha ≥ 0, got ${alpha}`);
    this.alpha = alpha;
  }

  forward(input: Tensor): Tensor {
    expectFinite(input, 'ELU.forward');
    this.#input = input;
    const x = input.data;
    const y = allocate(input.dtype, input.size);
    // BEGIN SOLUTION
    for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : this.alpha * Math.expm1(x[i]);
    // END SOLUTION
    return new Tensor(input.shape, y);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'ELU.backward');
    expectSameShape(input.shape, gradOutput.shape, 'ELU.backward', ['input', 'gradOutput']);
    const x = input.data;
    const dy = gradOutput.data;
    const dx = allocate(gradOutput.dtype, gradOutput.size);
    // BEGIN SOLUTION
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * this.alpha * Math.exp(x[i]);
    // END SOLUTION
    return new Tensor(input.shape, dx);
  }
}
