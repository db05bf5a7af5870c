import '../ops/cpu/register.js';
import { runKernel } from '../backend/kernel-registry.js';
import { mapBinary, mapUnary, type BinaryFunction, type UnaryFunction } from './cpu/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';

export const exp = (x: Tensor): Tensor => runKernel('exp', [x]);
export const log = (x: Tensor): Tensor => runKernel('log', [x]);
export const sqrt = (x: Tensor): Tensor => runKernel('sqrt', [x]);
export const square = (x: Tensor): Tensor => runKernel('square', [x]);
export const abs = (x: Tensor): Tensor => runKernel('abs', [x]);
export const sign = (x: Tensor): Tensor => runKernel('sign', [x]);
export const tanh = (x: Tensor): Tensor => runKernel('tanh', [x]);

/** out[i] = f(x[i]) on the CPU: for a quick element-wise function that needs no other backend. */
export const map = (x: Tensor, f: UnaryFunction): Tensor => mapUnary(x, f);
/** out[i] = f(a[i], b[i]) on the CPU, with broadcasting. */
export const zip = (a: Tensor, b: Tensor, f: BinaryFunction): Tensor => mapBinary(a, b, f, 'zip');
