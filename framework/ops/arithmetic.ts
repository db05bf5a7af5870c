import '../ops/cpu/register.js';
import { runKernel } from '../backend/kernel-registry.js';
import { NonFiniteError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

/** a + b element-wise, with NumPy broadcasting (so `add(x·W, b)` adds the bias row to every row). */
export const add = (a: Tensor, b: Tensor): Tensor => runKernel('add', [a, b]);
/** a − b element-wise, with broadcasting. */
export const sub = (a: Tensor, b: Tensor): Tensor => runKernel('sub', [a, b]);
/** a ⊙ b element-wise (Hadamard product), with broadcasting. */
export const mul = (a: Tensor, b: Tensor): Tensor => runKernel('mul', [a, b]);
/** a / b element-wise, with broadcasting. */
export const div = (a: Tensor, b: Tensor): Tensor => runKernel('div', [a, b]);
/** max(a, b) element-wise, with broadcasting. */
export const maximum = (a: Tensor, b: Tensor): Tensor => runKernel('maximum', [a, b]);
/** −x. */
export const neg = (x: Tensor): Tensor => runKernel('neg', [x]);

/** factor · x. */
export function scale(x: Tensor, factor: number): Tensor {
  if (!Number.isFinite(factor)) throw new NonFiniteError(`scale: factor must be finite, got ${factor}`);
  return runKernel('scale', [x], { factor });
}

/** x + value. */
export function addScalar(x: Tensor, value: number): Tensor {
  if (!Number.isFinite(value)) throw new NonFiniteError(`addScalar: value must be finite, got ${value}`);
  return runKernel('addScalar', [x], { value });
}

/** A tensor shaped like `like`, on the same device, every element `value`. */
export const fullLike = (like: Tensor, value: number): Tensor => runKernel('fill', [like], { value });
/** Zeros shaped like `like`, on the same device. */
export const zerosOn = (like: Tensor): Tensor => fullLike(like, 0);
