import { scale, sub } from '../ops/arithmetic.js';
import { NonFiniteError, ValueError } from '../errors.js';
import {
  decodeSlots,
  encodeSlots,
  matchSlots,
  readOptimizerState,
  type OptimizerState,
  type ParameterSlots,
  type SlotMap,
} from './optimizer-state.js';
import type { Parameter } from './parameter.js';
import type { Regularizer } from './regularizer.js';
import type { LearningRateSchedule } from './schedule.js';
import type { Tensor } from '../tensor/tensor.js';

export type { OptimizerState, ParameterSlots } from './optimizer-state.js';

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
  /**
   * Learning-rate schedule (Exercise 6): update k (k = 0, 1, …) uses `schedule.at(k)` as the
   * learning rate. Its base rate `schedule.lr` must equal the optimizer's `lr`.
   */
  schedule?: LearningRateSchedule;
}

/**
 * The shared part of every optimizer: walking the parameters, per-parameter state, the regularizer,
 * the learning-rate schedule and checkpoints. A subclass writes only its update rule,
 * `update(value, grad, state)`, and reads the learning rate as `this.learningRate`.
 *
 * Regularization follows DESIGN §3: the penalty gradient is taken from the weights **before** the
 * step, and `w ← update(w, g) − η·∇R(w_old)`.
 *
 * Steps are counted here: `stepCount` is the number of `step` calls so far. Without a schedule the
 * learning rate is the constructor's `lr`; with one, the update of step k (counted from 0) uses
 * `schedule.at(k)`, so the first update uses the base rate (docs/conventions.md, Exercise 6).
 *
 * `state()` / `loadState(state)` save and restore the step count and every parameter's state (velocities,
 * moments, step counts) as plain JSON-safe data, so training can stop and resume exactly.
 */
export abstract class BaseOptimizer implements Optimizer {
  abstract readonly name: string;
  readonly regularizer: Regularizer | undefined;
  readonly schedule: LearningRateSchedule | undefined;
  /** The constructor's `lr`: the rate of every update without a schedule, the schedule's base rate with one. */
  readonly baseLearningRate: number;
  /** Parameters in the order this optimizer first stepped them, each with its state. */
  readonly #state = new Map<Parameter, SlotMap>();
  #steps = 0;
  /** Slots of a loaded state, waiting for the first `step` to meet its parameters. */
  #pending?: readonly ParameterSlots[];

  constructor(learningRate: number, options: OptimizerOptions = {}) {
    if (!Number.isFinite(learningRate) || learningRate <= 0) {
      throw new ValueError(`Optimizer: learning rate must be a positive number, got ${learningRate}`);
    }
    const schedule = options.schedule;
    if (schedule !== undefined && schedule.lr !== learningRate) {
      throw new ValueError(
        `Optimizer: the schedule ${schedule.name} starts at lr = ${schedule.lr} but the optimizer's lr is ${learningRate}; ` +
          `give both the same base rate, e.g. { lr: ${schedule.lr}, schedule }`,
      );
    }
    this.baseLearningRate = learningRate;
    this.regularizer = options.regularizer;
    this.schedule = schedule;
  }

  /** The learning rate of the next update (of the current one inside `update`). */
  get learningRate(): number {
    if (!this.schedule) return this.baseLearningRate;
    const rate = this.schedule.at(this.#steps);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new NonFiniteError(
        `${this.name}: ${this.schedule.name}.at(${this.#steps}) returned ${rate}; a learning rate must be a finite number ≥ 0`,
      );
    }
    return rate;
  }

  /** How many `step` calls this optimizer has made (restored by `loadState`). */
  get stepCount(): number {
    return this.#steps;
  }

  step(parameters: readonly Parameter[]): void {
    if (this.#pending) this.#applyPending(parameters);
    for (const parameter of parameters) {
      const penalty =
        this.regularizer && parameter.role === 'weight' ? this.regularizer.gradient(parameter.value) : undefined;
      const updated = this.update(parameter.value, parameter.grad, this.stateOf(parameter));
      parameter.assign(penalty ? sub(updated, scale(penalty, this.learningRate)) : updated);
      if (updated.device === 'cpu' && !allFinite(updated.data)) {
        throw new NonFiniteError(
          `${this.name}.step: parameter '${parameter.name}' became non-finite; lower the learning rate or check the gradients`,
        );
      }
    }
    this.#steps++;
  }

  zeroGrad(parameters: readonly Parameter[]): void {
    for (const parameter of parameters) parameter.zeroGrad();
  }

  /**
   * A plain, JSON-safe copy of this optimizer's state: `{ version: 1, name, step, slots }`, one slot
   * entry per parameter in the order it was first stepped (name, shape, and each state value: a
   * number, or a tensor as `{ dtype, shape, data }`). `JSON.parse(JSON.stringify(state))` restores
   * every number bit for bit.
   */
  state(): OptimizerState {
    const slots =
      this.#pending ?? [...this.#state].map(([parameter, state]) => encodeSlots(parameter, state, this.name));
    return { version: 1, name: this.name, step: this.#steps, slots: structuredClone(slots) };
  }

  /**
   * Restores a state saved by `state()` of an optimizer of the same kind. It refuses another
   * optimizer's state or another version at once, and a state whose parameters (count, names, shapes)
   * differ from the ones this optimizer steps: at once if it has stepped already, else at the next `step`.
   */
  loadState(saved: unknown): void {
    const state = readOptimizerState(saved, this.name);
    this.#steps = state.step;
    this.#pending = structuredClone(state.slots);
    if (this.#state.size > 0) this.#applyPending([...this.#state.keys()]);
  }

  /**
   * The new value of one parameter. `state` persists per parameter between steps (velocities,
   * moment estimates, step counts); it starts empty.
   */
  protected abstract update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor;

  private stateOf(parameter: Parameter): SlotMap {
    let state = this.#state.get(parameter);
    if (!state) {
      state = new Map();
      this.#state.set(parameter, state);
    }
    return state;
  }

  #applyPending(parameters: readonly Parameter[]): void {
    const slots = this.#pending ?? [];
    matchSlots(slots, parameters, `${this.name}.loadState`);
    this.#pending = undefined;
    this.#state.clear();
    parameters.forEach((parameter, i) => {
      this.#state.set(parameter, decodeSlots(slots[i]));
    });
  }
}

/** True when no element is NaN or ±∞ (a plain loop: this runs on every parameter at every step). */
function allFinite(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
