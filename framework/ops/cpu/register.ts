import { registerKernel } from '../../backend/kernel-registry.js';
import {
  binaryKernelNames,
  unaryKernelNames,
  type BinaryKernelName,
  type UnaryKernelName,
} from '../../backend/kernels.js';
import { full } from '../../tensor/create.js';
import { matmulBlocked } from './matmul.js';
import { mapBinary, mapUnary, type BinaryFunction, type UnaryFunction } from './elementwise.js';
import { argmaxAlong, maxAlong, sumAlong } from './reduce.js';
import { permuteCpu } from './transpose.js';

/**
 * Registers the framework's CPU kernels. The arithmetic is plain loops in float64 (or float32 when
 * the inputs are float32); these are the oracle that every other backend is checked against.
 */
const binary: Record<BinaryKernelName, BinaryFunction> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a >= b ? a : b),
};

const unary: Record<UnaryKernelName, UnaryFunction> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  abs: Math.abs,
  sign: Math.sign,
  tanh: Math.tanh,
};

for (const name of binaryKernelNames) registerKernel(name, 'cpu', ([a, b]) => mapBinary(a, b, binary[name], name));
for (const name of unaryKernelNames) registerKernel(name, 'cpu', ([x]) => mapUnary(x, unary[name]));

registerKernel('scale', 'cpu', ([x], { factor }) => mapUnary(x, (v) => v * factor));
registerKernel('addScalar', 'cpu', ([x], { value }) => mapUnary(x, (v) => v + value));
registerKernel('fill', 'cpu', ([like], { value }) => full(like.shape, value, like.dtype));
registerKernel('matmul', 'cpu', ([a, b]) => matmulBlocked(a, b));
registerKernel('permute', 'cpu', ([x], { axes }) => permuteCpu(x, axes));
registerKernel('sum', 'cpu', ([x], { axis, keepDims }) => sumAlong(x, axis, keepDims));
registerKernel('max', 'cpu', ([x], { axis, keepDims }) => maxAlong(x, axis, keepDims));
registerKernel('argmax', 'cpu', ([x], { axis }) => argmaxAlong(x, axis));
