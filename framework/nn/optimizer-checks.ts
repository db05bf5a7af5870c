import { ValueError } from '../errors.js';

/**
 * The checks an optimizer makes on its hyperparameters in its constructor (given code, shared by
 * SgdMomentum, Nesterov, Adam, AdamW, AdaGrad and RMSProp, so that a stub optimizer still refuses a
 * bad option with a clear error and no optimizer's file depends on another's).
 */

/** Throws unless `value` lies in [0, 1): decay rates and momenta (1 would never forget, ≥ 1 diverges). */
export function checkRate(value: number, name: string, where: string): number {
  if (!(Number.isFinite(value) && value >= 0 && value < 1))
    throw new ValueError(`${where}: ${name} must be in [0, 1), got ${value}`);
  return value;
}

/** Throws unless `value` is a positive finite number (ε, weight decay). */
export function checkPositive(value: number, name: string, where: string): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new ValueError(`${where}: ${name} must be a positive number, got ${value}`);
  return value;
}
