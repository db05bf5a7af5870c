import { add, addScalar, div, mul, scale, sub, zerosOn } from '../../framework/ops/arithmetic.js';
import { sqrt } from '../../framework/ops/math.js';
import { BaseOptimizer } from '../../framework/nn/optimizer.js';
import { checkPositive, checkRate } from '../../framework/nn/optimizer-checks.js';
import type { AdamOptions } from '../../framework/nn/adam-options.js';
import type { Parameter } from '../../framework/nn/parameter.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * AdamW: Adam with decoupled weight decay (extension; seed 000: 1574–1582, "a variant of Adam
 * decoupling WD from gradient updates (AdamW)", Loshchilov and Hutter 2019):
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − η·λ·w⁽ᵏ⁾ − η · v̂ / (√r̂ + ε)
 * with v̂ and r̂ exactly as in Adam (004: 2514–2529). Unlike an L2 penalty, λ·w never enters the
 * moment estimates, so the decay is not divided by √r̂ (000: 1576–1582 explains why the two differ
 * for adaptive methods). Like the kit's regularizers, the decay applies to parameters whose role is
 * 'weight' only, never to biases; default λ = 0.01 (PyTorch's; the seeds give none).
 *
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export class AdamW extends BaseOptimizer {
  readonly name = 'AdamW';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;

  constructor(options: AdamOptions & { weightDecay?: number } = {}) {
    super(options.lr ?? 1e-3, options);
    this.beta1 = checkRate(options.beta1 ?? 0.9, 'beta1', 'AdamW');
    this.beta2 = checkRate(options.beta2 ?? 0.999, 'beta2', 'AdamW');
    this.eps = checkPositive(options.eps ?? 1e-8, 'eps', 'AdamW');
    const weightDecay = options.weightDecay ?? 0.01;
    this.weightDecay = weightDecay === 0 ? 0 : checkPositive(weightDecay, 'weightDecay', 'AdamW');
  }

  /**
   * The Adam step of `update` (plus any regularizer), then the decoupled decay −η·λ·w_old on the
   * weights, taken from their values before the step like every penalty in the kit (DESIGN §3).
   */
  override step(parameters: readonly Parameter[]): void {
    const before = parameters.map((parameter) => (parameter.role === 'weight' ? parameter.value : undefined));
    super.step(parameters);
    parameters.forEach((parameter, i) => {
      const old = before[i];
      if (old === undefined) return;
      // BEGIN SOLUTION
      parameter.assign(sub(parameter.value, scale(old, this.learningRate * this.weightDecay)));
      // END SOLUTION
    });
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
