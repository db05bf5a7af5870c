import { add, addScalar, div, mul, scale, sub, zerosOn } from '../../framework/ops/arithmetic.js';
import { sqrt } from '../../framework/ops/math.js';
import { BaseOptimizer } from '../../framework/nn/optimizer.js';
import type { AdamOptions } from '../../framework/nn/adam-options.js';
import { checkPositive, checkRate } from '../../framework/nn/optimizer-checks.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

export type { AdamOptions };

/**
 * Adam with bias correction (seed 004: 2514–2529; the algorithm box is 000: 2534–2552):
 *   k ← k + 1                                   (the step count starts at 1)
 *   v⁽ᵏ⁾ = β₁·v⁽ᵏ⁻¹⁾ + (1 − β₁)·g               (first moment; 004 calls β₁ μ, 000 calls it ρ₁)
 *   r⁽ᵏ⁾ = β₂·r⁽ᵏ⁻¹⁾ + (1 − β₂)·g ⊙ g           (second moment)
 *   v̂ = v⁽ᵏ⁾ / (1 − β₁ᵏ),   r̂ = r⁽ᵏ⁾ / (1 − β₂ᵏ)
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − η · v̂ / (√r̂ + ε)
 * with v⁽⁰⁾ = r⁽⁰⁾ = 0. ε sits outside the root as in 004 and 000; 003: 642 puts it inside and has
 * a stray β in the numerator (a seed error). Defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
 *
 * Handout: docs/exercises/2-convolutional.md#adam
 */
export class Adam extends BaseOptimizer {
  readonly name: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;

  constructor(options: AdamOptions = {}) {
    super(options.lr ?? 1e-3, options);
    this.beta1 = checkRate(options.beta1 ?? 0.9, 'beta1', 'Adam');
    this.beta2 = checkRate(options.beta2 ?? 0.999, 'beta2', 'Adam');
    this.eps = checkPositive(options.eps ?? 1e-8, 'eps', 'Adam');
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const previousStep = (state.get('step') as number | undefined) ?? 0;
    const previousFirst = (state.get('firstMoment') as Tensor | undefined) ?? zerosOn(value);
    const previousSecond = (state.get('secondMoment') as Tensor | undefined) ?? zerosOn(value);
    // BEGIN SOLUTION
    const step = previousStep + 1;
    const first = add(scale(previousFirst, this.beta1), scale(grad, 1 - this.beta1));
    const second = add(scale(previousSecond, this.beta2), scale(mul(grad, grad), 1 - this.beta2));
    state.set('step', step);
    state.set('firstMoment', first);
    state.set('secondMoment', second);
    const firstHat = scale(first, 1 / (1 - this.beta1 ** step));
    const secondHat = scale(second, 1 / (1 - this.beta2 ** step));
    return sub(value, scale(div(firstHat, addScalar(sqrt(secondHat), this.eps)), this.learningRate));
    // END SOLUTION
  }
}
