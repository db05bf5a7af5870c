import { ValueError } from '../errors.js';

/**
 * Throws unless `fanIn` and `fanOut` are positive integers: every variance-scaling initializer
 * (Xavier, XavierUniform, He, HeUniform) divides by them, so a zero or a shape passed in the wrong
 * place would silently give ∞ or NaN. Given code, so that no initializer's file depends on another's.
 */
export function checkFans(fanIn: number, fanOut: number, where: string): void {
  for (const [name, fan] of [
    ['fanIn', fanIn],
    ['fanOut', fanOut],
  ] as const) {
    if (!Number.isInteger(fan) || fan < 1) {
      throw new ValueError(
        `${where}: ${name} must be a positive integer (the number of inputs or outputs of one unit), got ${fan}`,
      );
    }
  }
}
