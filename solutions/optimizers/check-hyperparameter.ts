import { ValueError } from '../../framework/errors.js';

/** Throws unless `value` lies in [0, 1): decay rates and momenta (1 would never forget, ≥ 1 diverges). */
export function checkRate(value: number, name: string, where: string): number {
  if (!(Number.isFinite(value) && value >= 0 && value < 1)) throw new ValueError(`${where}: ${name} must be in [0, 1), got ${value}`);
  return value;
}

/** Throws unless `value` is a positive finite number (ε, weight decay). */
export function checkPositive(value: number, name: string, where: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new ValueError(`${where}: ${name} must be a positive number, got ${value}`);
  return value;
}
