import { scale, sub } from '../../framework/ops/arithmetic.js';
import { checkPositive } from './check-hyperparameter.js';
import { Adam, type AdamOptions } from './adam.js';
import type { Parameter } from '../../framework/nn/parameter.js';

/**
 * AdamW: Adam with decoupled weight decay (extension; seed 000: 1574–1582, "a variant of Adam
 * decoupling WD from gradient updates (AdamW)", Loshchilov and Hutter 2019):
 *   w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − η·λ·w⁽ᵏ⁾ − η · v̂ / (√r̂ + ε)
 * with v̂ and r̂ exactly as in Adam (004: 2514–2529), so AdamW extends Adam and keeps its `update`.
 * Unlike an L2 penalty, λ·w never enters the moment estimates, so the decay is not divided by √r̂
 * (000: 1576–1582 explains why the two differ for adaptive methods). Like the kit's regularizers,
 * the decay applies to parameters whose role is 'weight' only, never to biases; default λ = 0.01
 * (PyTorch's; the seeds give none).
 *
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export class AdamW extends Adam {
  override readonly name: string = 'AdamW';
  readonly weightDecay: number;

  constructor(options: AdamOptions & { weightDecay?: number } = {}) {
    super(options);
    const weightDecay = options.weightDecay ?? 0.01;
    this.weightDecay = weightDecay === 0 ? 0 : checkPositive(weightDecay, 'weightDecay', 'AdamW');
  }

  /**
   * Adam's step (its `update`, plus any regularizer), then the decoupled decay −η·λ·w_old on the
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
}
