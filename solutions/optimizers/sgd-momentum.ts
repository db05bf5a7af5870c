import { add, scale, sub, zerosOn } from '../../framework/ops/arithmetic.js';
import { BaseOptimizer, type OptimizerOptions } from '../../framework/nn/optimizer.js';
import { checkRate } from '../../framework/nn/optimizer-checks.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * SGD with momentum (seed 004: 2427–2440, the algorithm box at 2435):
 *   v⁽ᵏ⁾ = μ·v⁽ᵏ⁻¹⁾ − η·∇L(w⁽ᵏ⁾)
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ + v⁽ᵏ⁾
 * with v⁽⁰⁾ = 0 (no seed states it; zero is implied). 000: 2360, 2383–2384 writes the same with
 * φ and α; 003: 583–589 keeps v positive and subtracts it (θ ← θ − v), the same trajectory with v
 * negated. The kit uses 004's sign. Default μ = 0.9 (004: 2437, 003: 585).
 *
 * Handout: docs/exercises/2-convolutional.md#sgdmomentum
 */
export class SgdMomentum extends BaseOptimizer {
  readonly name = 'SgdMomentum';
  readonly momentum: number;

  constructor(options: { lr: number; momentum?: number } & OptimizerOptions) {
    super(options.lr, options);
    this.momentum = checkRate(options.momentum ?? 0.9, 'momentum', 'SgdMomentum');
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const previousVelocity = (state.get('velocity') as Tensor | undefined) ?? zerosOn(value);
    // BEGIN SOLUTION
    const velocity = sub(scale(previousVelocity, this.momentum), scale(grad, this.learningRate));
    state.set('velocity', velocity);
    return add(value, velocity);
    // END SOLUTION
  }
}
