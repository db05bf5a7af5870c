import { scale, sub } from '../ops/arithmetic.js';
import { NonFiniteError, ValueError } from '../errors.js';
import type { Parameter } from './parameter.js';
import type { Regularizer } from './regularizer.js';
import type { Tensor } from '../tensor/tensor.js';

/** Updates parameters from their accumulated gradients. */
export interface Optimizer {
  readonly name: string;
  readonly regularizer: Regularizer | undefined;
  step(parameters: readonly Parameter[]): void;
  zeroGrad(parameters: readonly Parameter[]): void;
}

export interface OptimizerOptions {
  /** Weight penalty applied to parameters whose role is 'weight' (never biases). */
  regularizer?: Regularizer;
}

/**
 * The shared part of every optimizer: walking the parameters, per-parameter state, and the
 * regularizer. A subclass writes only its update rule, `update(value, grad, state)`.
 *
 * Regularization follows DESIGN §3: the penalty gradient is taken from the weights **before** the
 * step, and `w ← update(w, g) − η·∇R(w_old)`.
 */
export abstract class BaseOptimizer implements Optimizer {
  abstract readonly name: string;
  readonly regularizer: Regularizer | undefined;
  readonly #state = new WeakMap<Parameter, Map<string, Tensor | number>>();

  constructor(
    readonly learningRate: number,
    options: OptimizerOptions = {},
  ) {
    if (!Number.isFinite(learningRate) || learningRate <= 0) {
      throw new ValueError(`Optimizer: learning rate must be a positive number, got ${learningRate}`);
    }
    this.regularizer = options.regularizer;
  }

  step(parameters: readonly Parameter[]): void {
    for (const parameter of parameters) {
      const penalty = this.regularizer && parameter.role === 'weight' ? this.regularizer.gradient(parameter.value) : undefined;
      const updated = this.update(parameter.value, parameter.grad, this.stateOf(parameter));
      parameter.assign(penalty ? sub(updated, scale(penalty, this.learningRate)) : updated);
      if (updated.device === 'cpu' && !allFinite(updated.data)) {
        throw new NonFiniteError(`${this.name}.step: parameter '${parameter.name}' became non-finite; lower the learning rate or check the gradients`);
      }
    }
  }

  zeroGrad(parameters: readonly Parameter[]): void {
    for (const parameter of parameters) parameter.zeroGrad();
  }

  /**
   * The new value of one parameter. `state` persists per parameter between steps (velocities,
   * moment estimates, step counts); it starts empty.
   */
  protected abstract update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor;

  private stateOf(parameter: Parameter): Map<string, Tensor | number> {
    let state = this.#state.get(parameter);
    if (!state) {
      state = new Map();
      this.#state.set(parameter, state);
    }
    return state;
  }
}

/** True when no element is NaN or ±∞ (a plain loop: this runs on every parameter at every step). */
function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
