import type { BinaryKernelName, UnaryKernelName } from '../../backend/kernels.js';

/**
 * The operation each framework WGSL kernel computes, chosen per pipeline by its `override OP`. Each
 * .wgsl file names the same numbers (`const OP_ADD_SCALAR = 9u;`) and switches on the names, so
 * neither side depends on the order of the other; tests/framework/webgpu-opcodes.test.ts reads the
 * .wgsl files and checks that both tables agree.
 */

/** binary.wgsl: out = a ∘ b. */
export const binaryOpcodes = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4 } as const satisfies Record<
  BinaryKernelName,
  number
>;

/** unary.wgsl: out = f(x, c), c the uniform scalar (the factor of scale, the value of addScalar and fill). */
export const unaryOpcodes = {
  neg: 0,
  exp: 1,
  log: 2,
  sqrt: 3,
  square: 4,
  abs: 5,
  sign: 6,
  tanh: 7,
  scale: 8,
  addScalar: 9,
  fill: 10,
} as const satisfies Record<UnaryKernelName | 'scale' | 'addScalar' | 'fill', number>;

/** reduce.wgsl: a sum or a maximum along one axis. */
export const reduceOpcodes = { sum: 0, max: 1 } as const;

/** The WGSL constant that names a kernel's opcode: 'addScalar' → 'OP_ADD_SCALAR'. */
export function wgslOpcodeName(kernel: string): string {
  return `OP_${kernel.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}
