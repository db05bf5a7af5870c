import { registerKernel } from '../../backend/kernel-registry.js';
import { full } from '../../tensor/create.js';
import { matmulBlocked } from './matmul.js';
import { mapBinary, mapUnary, type BinaryFunction, type UnaryFunction } from './elementwise.js';
import { argmaxAlong, maxAlong, sumAlong } from './reduce.js';
import { permuteCpu } from './transpose.js';

/**
 * Registers the framework's CPU kernels. The arithmetic is plain loops in float64 (or float32 when
 * the inputs are float32); these are the oracle that every other backend is checked against.
 */
const binary: Record<string, BinaryFunction> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a >= b ? a : b),
};

const unary: Record<string, UnaryFunction> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  abs: Math.abs,
  sign: Math.sign,
  tanh: Math.tanh,
};

for (const [name, f] of Object.entries(binary)) registerKernel(name, 'cpu', ([a, b]) => mapBinary(a, b, f, name));
for (const [name, f] of Object.entries(unary)) registerKernel(name, 'cpu', ([x]) => mapUnary(x, f));

registerKernel('scale', 'cpu', ([x], { factor }) => {
  const k = factor as number;
  return mapUnary(x, (v) => v * k);
});
registerKernel('addScalar', 'cpu', ([x], { value }) => {
  const c = value as number;
  return mapUnary(x, (v) => v + c);
});
registerKernel('fill', 'cpu', ([like], { value }) => full(like.shape, value as number, like.dtype));
registerKernel('matmul', 'cpu', ([a, b]) => matmulBlocked(a, b));
registerKernel('permute', 'cpu', ([x], { axes }) => permuteCpu(x, axes as number[]));
registerKernel('sum', 'cpu', ([x], { axis, keepDims }) => sumAlong(x, axis as number, keepDims as boolean));
registerKernel('max', 'cpu', ([x], { axis, keepDims }) => maxAlong(x, axis as number, keepDims as boolean));
registerKernel('argmax', 'cpu', ([x], { axis }) => argmaxAlong(x, axis as number));
