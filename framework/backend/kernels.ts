import type { Tensor } from '../tensor/tensor.js';

/**
 * Every kernel of the kit, declared once (as TensorFlow.js declares its kernels in kernel_names.ts):
 * its name, the tensors it takes in order, its attributes, and which implementations the kit has.
 * `registerKernel` and `runKernel` (kernel-registry.ts) are typed by this table, so a misspelt name,
 * a missing tensor or a wrong attribute is a compile error, and a kernel reads its attributes without
 * casts. Every kernel returns one tensor.
 *
 * A new kernel is added here first: its signature in `KernelSignatures`, its input names and its
 * implementations in `kernelDeclarations` (tests/framework/kernel-declarations.test.ts checks that
 * what is registered for each backend is exactly what is declared).
 */

/** No attributes: `runKernel('relu', [x])`. */
export type NoAttributes = Readonly<Record<string, never>>;

/** Element-wise with NumPy broadcasting: out = a ∘ b. Framework kernels (framework/ops/arithmetic.ts). */
export const binaryKernelNames = ['add', 'sub', 'mul', 'div', 'maximum'] as const;
export type BinaryKernelName = (typeof binaryKernelNames)[number];

/** Element-wise: out = f(x). Framework kernels (framework/ops/arithmetic.ts, math.ts). */
export const unaryKernelNames = ['neg', 'exp', 'log', 'sqrt', 'square', 'abs', 'sign', 'tanh'] as const;
export type UnaryKernelName = (typeof unaryKernelNames)[number];

/** The stride and the zeros padded before the first row and column (the padding after is implied by the output size). */
export interface Conv2dGeometry {
  /** [strideH, strideW]. */
  readonly stride: readonly [number, number];
  /** [padTop, padLeft]. */
  readonly padBefore: readonly [number, number];
}

/** A pooling window [ph, pw] moved by [sh, sw], no padding ('valid'). */
export interface Pool2dAttributes {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
}

/** A reduction along one axis (already normalised to 0 … rank − 1). */
export interface AxisAttributes {
  readonly axis: number;
}

export interface ReduceAttributes extends AxisAttributes {
  /** Keep the reduced axis with size 1. */
  readonly keepDims: boolean;
}

type Binary = { inputs: readonly [a: Tensor, b: Tensor]; attributes: NoAttributes };
type Unary = { inputs: readonly [x: Tensor]; attributes: NoAttributes };
type Matmul = { inputs: readonly [a: Tensor, b: Tensor]; attributes: NoAttributes };

/** The type of every kernel: the tensors it takes (a tuple) and its attributes. */
export type KernelSignatures = { readonly [N in BinaryKernelName]: Binary } & {
  readonly [N in UnaryKernelName]: Unary;
} & {
  /** x·factor. */
  readonly scale: { inputs: readonly [x: Tensor]; attributes: { readonly factor: number } };
  /** x + value. */
  readonly addScalar: { inputs: readonly [x: Tensor]; attributes: { readonly value: number } };
  /** A tensor of `like`'s shape (and device) filled with value. */
  readonly fill: { inputs: readonly [like: Tensor]; attributes: { readonly value: number } };
  /** C [m, n] = A [m, k] · B [k, n]. */
  readonly matmul: Matmul;
  /** The same product by the naive WGSL kernel (Exercise 5), one invocation per element of C. */
  readonly matmulNaive: Matmul;
  /** The same product by the tiled WGSL kernel (Exercise 5), tiles in workgroup memory. */
  readonly matmulTiled: Matmul;
  /** out.shape[i] = x.shape[axes[i]]. */
  readonly permute: { inputs: readonly [x: Tensor]; attributes: { readonly axes: readonly number[] } };
  readonly sum: { inputs: readonly [x: Tensor]; attributes: ReduceAttributes };
  readonly max: { inputs: readonly [x: Tensor]; attributes: ReduceAttributes };
  /** The index of the first maximum along the axis (the axis is dropped). */
  readonly argmax: { inputs: readonly [x: Tensor]; attributes: AxisAttributes };
  /** max(0, x) (Exercise 1, solutions/activations/relu.ts). */
  readonly relu: { inputs: readonly [x: Tensor]; attributes: NoAttributes };
  /** ∂L/∂x = ∂L/∂y where x > 0, else 0. */
  readonly reluBackward: { inputs: readonly [input: Tensor, gradOutput: Tensor]; attributes: NoAttributes };
  /** Softmax over the last axis (Exercise 1, solutions/activations/softmax.ts). */
  readonly softmax: { inputs: readonly [x: Tensor]; attributes: NoAttributes };
  /** σ(x) = 1 / (1 + e^−x) (Exercise 3, solutions/activations/sigmoid.ts). */
  readonly sigmoid: { inputs: readonly [x: Tensor]; attributes: NoAttributes };
  /** ∂L/∂x = ∂L/∂y · y(1 − y), from the forward's output y. */
  readonly sigmoidBackward: { inputs: readonly [output: Tensor, gradOutput: Tensor]; attributes: NoAttributes };
  /** tanh(x) as a layer's kernel (Exercise 3, solutions/activations/tanh.ts). */
  readonly tanhActivation: { inputs: readonly [x: Tensor]; attributes: NoAttributes };
  /** ∂L/∂x = ∂L/∂y · (1 − y²), from the forward's output y. */
  readonly tanhBackward: { inputs: readonly [output: Tensor, gradOutput: Tensor]; attributes: NoAttributes };
  /** y [B, C, OH, OW], the maximum of each window (Exercise 2, solutions/layers/max-pool.ts). */
  readonly maxPool2d: { inputs: readonly [x: Tensor]; attributes: Pool2dAttributes };
  /** ∂L/∂x [B, C, H, W]: each window's gradient to its first maximum. */
  readonly maxPool2dBackward: { inputs: readonly [x: Tensor, gradOutput: Tensor]; attributes: Pool2dAttributes };
  /** y [B, O, OH, OW] = bias + x ⋆ weight, cross-correlation (Exercise 2, solutions/layers/conv2d-kernels.ts). */
  readonly conv2d: {
    inputs: readonly [x: Tensor, weight: Tensor, bias: Tensor];
    attributes: Conv2dGeometry & { readonly outShape: readonly [number, number] };
  };
  /** ∂L/∂x [B, C, H, W] from gradOutput [B, O, OH, OW]. */
  readonly conv2dBackwardInput: {
    inputs: readonly [gradOutput: Tensor, weight: Tensor];
    attributes: Conv2dGeometry & { readonly inShape: readonly [number, number] };
  };
  /** ∂L/∂w [O, C, KH, KW]. */
  readonly conv2dBackwardWeights: {
    inputs: readonly [x: Tensor, gradOutput: Tensor];
    attributes: Conv2dGeometry & { readonly kernelShape: readonly [number, number] };
  };
  /** ∂L/∂bias [O] = Σ over batch and positions of gradOutput. */
  readonly conv2dBackwardBias: { inputs: readonly [gradOutput: Tensor]; attributes: NoAttributes };
  /** s [B, TQ, TK] = q·kᵀ/√D, −∞ above the diagonal when causal (Exercise 6, solutions/kernels/attention-scores.ts). */
  readonly attentionScores: { inputs: readonly [q: Tensor, k: Tensor]; attributes: { readonly causal?: boolean } };
};

export type KernelName = keyof KernelSignatures;
export type KernelInputs<N extends KernelName> = KernelSignatures[N]['inputs'];
export type KernelAttributes<N extends KernelName> = KernelSignatures[N]['attributes'];
export type Conv2dAttributes = KernelAttributes<'conv2d'>;

/** One implementation of kernel N: its tensors and attributes in, one tensor out. */
export type KernelFunction<N extends KernelName> = (inputs: KernelInputs<N>, attributes: KernelAttributes<N>) => Tensor;

/**
 * Who implements a kernel: `cpu` the readable oracle (plain loops), `cpuFast` a faster CPU path that
 * a caller switches to for one call (`withKernels`, e.g. the im2col conv of solutions/layers/conv2d-fast.ts),
 * `webgpu` a WGSL kernel (framework/webgpu, Exercise 5).
 */
export type KernelImplementation = 'cpu' | 'cpuFast' | 'webgpu';

/** A name for each element of a tuple, the tuple's length kept. */
type NamesOf<T extends readonly unknown[]> = { readonly [I in keyof T]: string };

export interface KernelDeclaration<N extends KernelName> {
  /** The name of each input tensor, in order (for error messages). */
  readonly inputs: NamesOf<KernelInputs<N>>;
  readonly implementedBy: readonly KernelImplementation[];
}

const framework = ['cpu', 'webgpu'] as const;
const binary = { inputs: ['a', 'b'], implementedBy: framework } as const;
const unary = { inputs: ['x'], implementedBy: framework } as const;

/** The runtime half of the table: input names and implementations of every kernel. */
export const kernelDeclarations: { readonly [N in KernelName]: KernelDeclaration<N> } = {
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  maximum: binary,
  neg: unary,
  exp: unary,
  log: unary,
  sqrt: unary,
  square: unary,
  abs: unary,
  sign: unary,
  tanh: unary,
  scale: unary,
  addScalar: unary,
  fill: { inputs: ['like'], implementedBy: framework },
  matmul: binary,
  matmulNaive: { inputs: ['a', 'b'], implementedBy: ['webgpu'] },
  matmulTiled: { inputs: ['a', 'b'], implementedBy: ['webgpu'] },
  permute: unary,
  sum: unary,
  max: unary,
  argmax: { inputs: ['x'], implementedBy: ['cpu'] },
  relu: unary,
  reluBackward: { inputs: ['input', 'gradOutput'], implementedBy: framework },
  softmax: unary,
  sigmoid: { inputs: ['x'], implementedBy: ['cpu'] },
  sigmoidBackward: { inputs: ['output', 'gradOutput'], implementedBy: ['cpu'] },
  tanhActivation: { inputs: ['x'], implementedBy: ['cpu'] },
  tanhBackward: { inputs: ['output', 'gradOutput'], implementedBy: ['cpu'] },
  maxPool2d: unary,
  maxPool2dBackward: { inputs: ['x', 'gradOutput'], implementedBy: ['cpu'] },
  conv2d: { inputs: ['x', 'weight', 'bias'], implementedBy: ['cpu', 'cpuFast', 'webgpu'] },
  conv2dBackwardInput: { inputs: ['gradOutput', 'weight'], implementedBy: ['cpu', 'cpuFast'] },
  conv2dBackwardWeights: { inputs: ['x', 'gradOutput'], implementedBy: ['cpu', 'cpuFast'] },
  conv2dBackwardBias: { inputs: ['gradOutput'], implementedBy: ['cpu'] },
  attentionScores: { inputs: ['q', 'k'], implementedBy: ['webgpu'] },
};

/** Every declared kernel name, in declaration order. */
export const kernelNames = Object.keys(kernelDeclarations) as KernelName[];

/** The kernels the kit implements on `implementation`, sorted. */
export function kernelsImplementedBy(implementation: KernelImplementation): KernelName[] {
  return kernelNames.filter((name) => kernelDeclarations[name].implementedBy.includes(implementation)).sort();
}

export function isKernelName(name: string): name is KernelName {
  return Object.hasOwn(kernelDeclarations, name);
}
