import { ValueError } from '../errors.js';

/**
 * A learning-rate schedule (Exercise 6): the learning rate of the update with index `step`, for the
 * schedule's base rate `lr`. Steps count optimizer updates from 0, so `at(0)` is the rate of the
 * first update and equals `lr` for every schedule of the kit (PyTorch's counting: the scheduler's
 * first value is the base rate). An optimizer given `{ schedule }` asks it once per `step` call
 * (BaseOptimizer); the student's update rule reads the result as `this.learningRate`.
 * Handout: docs/exercises/6-modern.md#learning-rate-schedules · docs/conventions.md "Exercise 6".
 */
export interface LearningRateSchedule {
  readonly name: string;
  /** The base rate: the rate at step 0. An optimizer's `lr` must equal it. */
  readonly lr: number;
  /** The learning rate of update `step` (a non-negative integer). */
  at(step: number): number;
}

/** Throws unless `step` is a non-negative integer (schedules call it first thing in `at`). */
export function checkStep(step: number, where: string): void {
  if (!Number.isInteger(step) || step < 0) {
    throw new ValueError(`${where}: step must be a non-negative integer (0 is the first update), got ${step}`);
  }
}

/** Throws unless `value` is a finite number > 0 (base rates, decay lengths). */
export function positiveOption(value: number, name: string, where: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
    throw new ValueError(`${where}: ${name} must be a positive number, got ${value}`);
  return value;
}

/** Throws unless `value` is a finite number ≥ 0 (minimum rates, minDelta). */
export function nonNegativeOption(value: number, name: string, where: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0))
    throw new ValueError(`${where}: ${name} must be a number ≥ 0, got ${value}`);
  return value;
}

/** Throws unless `value` is an integer ≥ 1 (step sizes, periods, patience). */
export function positiveIntegerOption(value: number, name: string, where: string): number {
  if (!(Number.isInteger(value) && value >= 1))
    throw new ValueError(`${where}: ${name} must be a positive integer, got ${value}`);
  return value;
}

/** Throws unless `value` lies in (0, 1] (decay factors: 1 keeps the rate, 0 would stop learning). */
export function decayFactorOption(value: number, name: string, where: string): number {
  if (!(typeof value === 'number' && value > 0 && value <= 1))
    throw new ValueError(`${where}: ${name} must be in (0, 1], got ${value}`);
  return value;
}
