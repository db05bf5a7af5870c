import { add, addScalar, div, mul, scale, sub, zerosOn } from '../../framework/ops/arithmetic.js';
import { sqrt } from '../../framework/ops/math.js';
import { BaseOptimizer, type OptimizerOptions } from '../../framework/nn/optimizer.js';
import { checkPositive, checkRate } from '../../framework/nn/optimizer-checks.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * RMSProp (extension; seed 004: 2487–2497, the box at 2491–2495):
 *   r⁽ᵏ⁾ = ρ·r⁽ᵏ⁻¹⁾ + (1 − ρ)·g⁽ᵏ⁾ ⊙ g⁽ᵏ⁾
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − η / (√r⁽ᵏ⁾ + ε) ⊙ g⁽ᵏ⁾
 * with r⁽⁰⁾ = 0 and ε outside the root (004, 000: 2508–2519; 003: 623–628 puts it inside).
 * Defaults: ρ = 0.9 and η = 0.001 ("Hinton suggests", 004: 2495), ε = 1e-6 (000: 2512).
 *
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export class RMSProp extends BaseOptimizer {
  readonly name = 'RMSProp';
  readonly rho: number;
  readonly eps: number;

  constructor(options: { lr?: number; rho?: number; eps?: number } & OptimizerOptions = {}) {
    super(options.lr ?? 1e-3, options);
    this.rho = checkRate(options.rho ?? 0.9, 'rho', 'RMSProp');
    this.eps = checkPositive(options.eps ?? 1e-6, 'eps', 'RMSProp');
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const previousSquares = (state.get('squares') as Tensor | undefined) ?? zerosOn(value);
    // BEGIN SOLUTION
    const squares = add(scale(previousSquares, this.rho), scale(mul(grad, grad), 1 - this.rho));
    state.set('squares', squares);
    return sub(value, scale(div(grad, addScalar(sqrt(squares), this.eps)), this.learningRate));
    // END SOLUTION
  }
}
