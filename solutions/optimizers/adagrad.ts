import { add, addScalar, div, mul, scale, sub, zerosOn } from '../../framework/ops/arithmetic.js';
import { sqrt } from '../../framework/ops/math.js';
import { BaseOptimizer, type OptimizerOptions } from '../../framework/nn/optimizer.js';
import { checkPositive } from '../../framework/nn/optimizer-checks.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * AdaGrad (extension; seed 004: 2466–2485, the box at 2475–2479):
 *   r⁽ᵏ⁾ = r⁽ᵏ⁻¹⁾ + g⁽ᵏ⁾ ⊙ g⁽ᵏ⁾
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − η / (√r⁽ᵏ⁾ + ε) ⊙ g⁽ᵏ⁾
 * with r⁽⁰⁾ = 0. ε sits outside the root as in 004 and 000: 2477–2490 (003: 601–603 puts it
 * inside). Default ε = 1e-7, 000: 2482's "perhaps 10⁻⁷"; the seeds give no learning rate, so
 * lr = 0.01 (PyTorch's default).
 *
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export class AdaGrad extends BaseOptimizer {
  readonly name = 'AdaGrad';
  readonly eps: number;

  constructor(options: { lr?: number; eps?: number } & OptimizerOptions = {}) {
    super(options.lr ?? 0.01, options);
    this.eps = checkPositive(options.eps ?? 1e-7, 'eps', 'AdaGrad');
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const previousSquares = (state.get('squares') as Tensor | undefined) ?? zerosOn(value);
    // BEGIN SOLUTION
    const squares = add(previousSquares, mul(grad, grad));
    state.set('squares', squares);
    return sub(value, scale(div(grad, addScalar(sqrt(squares), this.eps)), this.learningRate));
    // END SOLUTION
  }
}
