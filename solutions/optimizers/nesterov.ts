import { add, scale, sub, zerosOn } from '../../framework/ops/arithmetic.js';
import { BaseOptimizer, type OptimizerOptions } from '../../framework/nn/optimizer.js';
import { checkRate } from '../../framework/nn/optimizer-checks.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Nesterov accelerated gradient (extension). The seed's definition evaluates the gradient at the
 * look-ahead point, v⁽ᵏ⁾ = μv⁽ᵏ⁻¹⁾ − η∇L(w⁽ᵏ⁾ + μv⁽ᵏ⁻¹⁾), w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ + v⁽ᵏ⁾ (004: 2447–2450);
 * a layer-wise framework only has ∇L at the current weights, so the kit uses the seed's rewrite
 * "to use the conventional gradient" (004: 2452–2454):
 *   v⁽ᵏ⁾ = μ·v⁽ᵏ⁻¹⁾ − η·∇L(w⁽ᵏ⁾)
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − μ·v⁽ᵏ⁻¹⁾ + (1 + μ)·v⁽ᵏ⁾
 * with v⁽⁰⁾ = 0, so the first step is w − (1 + μ)·η·g.
 *
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export class Nesterov extends BaseOptimizer {
  readonly name = 'Nesterov';
  readonly momentum: number;

  constructor(options: { lr: number; momentum?: number } & OptimizerOptions) {
    super(options.lr, options);
    this.momentum = checkRate(options.momentum ?? 0.9, 'momentum', 'Nesterov');
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const previousVelocity = (state.get('velocity') as Tensor | undefined) ?? zerosOn(value);
    // BEGIN SOLUTION
    const velocity = sub(scale(previousVelocity, this.momentum), scale(grad, this.learningRate));
    state.set('velocity', velocity);
    return add(sub(value, scale(previousVelocity, this.momentum)), scale(velocity, 1 + this.momentum));
    // END SOLUTION
  }
}
