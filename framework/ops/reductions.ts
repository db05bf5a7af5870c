import '../ops/cpu/register.js';
import { runKernel } from '../backend/kernel-registry.js';
import { normalizeAxis } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Σ along `axis` (negative counts from the end); `keepDims` leaves a 1 in its place. */
export function sum(x: Tensor, axis: number, keepDims = false): Tensor {
  return runKernel('sum', [x], { axis: normalizeAxis(axis, x.rank, 'sum'), keepDims });
}

/** Σ over every element, as a number (CPU). */
export function sumAll(x: Tensor): number {
  let total = 0;
  for (const v of x.data) total += v;
  return total;
}

/** Mean along `axis`. */
export function mean(x: Tensor, axis: number, keepDims = false): Tensor {
  const resolved = normalizeAxis(axis, x.rank, 'mean');
  return runKernel('scale', [sum(x, resolved, keepDims)], { factor: 1 / x.shape[resolved] });
}

/** Largest value along `axis`. */
export function max(x: Tensor, axis: number, keepDims = false): Tensor {
  return runKernel('max', [x], { axis: normalizeAxis(axis, x.rank, 'max'), keepDims });
}

/** Index of the largest value along `axis` (the first one on a tie), as float64 indices. */
export function argmax(x: Tensor, axis: number): Tensor {
  return runKernel('argmax', [x], { axis: normalizeAxis(axis, x.rank, 'argmax') });
}
