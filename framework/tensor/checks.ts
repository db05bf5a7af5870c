import { NonFiniteError, StateError } from '../errors.js';
import { stridesOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Throws a NonFiniteError naming the first NaN or ±∞ and where it sits, so a bad input is caught
 * where it enters rather than as a NaN loss many steps later. Skipped for tensors on another
 * device (reading them back would stall the GPU).
 */
export function expectFinite(x: Tensor, where: string, what = 'input'): void {
  if (x.device !== 'cpu') return;
  const data = x.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const strides = stridesOf(x.shape);
      let rest = i;
      const index = strides.map((stride) => {
        const coordinate = Math.floor(rest / stride);
        rest -= coordinate * stride;
        return coordinate;
      });
      throw new NonFiniteError(
        `${where}: ${what} holds ${data[i]} at index [${index.join(', ')}]; check the data or lower the learning rate`,
      );
    }
  }
}

/** Returns what `forward` cached for `backward`, or explains that `forward` has to run first. */
export function cached<T>(value: T | undefined, where: string): T {
  if (value === undefined) throw new StateError(`${where} called before forward: run forward on a batch first`);
  return value;
}
