import type { KernelTable } from '../backend/kernel-registry.js';
import type { Conv2dGeometry } from '../backend/kernels.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The compute functions of one implementation of Conv's kernels: the plain loops a student writes
 * (solutions/layers/conv2d-kernels.ts, the oracle) or the im2col fast path (conv2d-fast.ts). Each
 * takes its tensors, the geometry and the one size the tensors do not tell.
 */
export interface Conv2dKernelFunctions {
  /** y [B, O, OH, OW] from x [B, C, H, W], weight [O, C, KH, KW], bias [O]. */
  forward(
    x: Tensor,
    weight: Tensor,
    bias: Tensor,
    geometry: Conv2dGeometry,
    outShape: readonly [number, number],
  ): Tensor;
  /** ∂L/∂x [B, C, H, W] from gradOutput [B, O, OH, OW] and weight. */
  backwardInput(
    gradOutput: Tensor,
    weight: Tensor,
    geometry: Conv2dGeometry,
    inShape: readonly [number, number],
  ): Tensor;
  /** ∂L/∂w [O, C, KH, KW] from x and gradOutput. */
  backwardWeights(
    x: Tensor,
    gradOutput: Tensor,
    geometry: Conv2dGeometry,
    kernelShape: readonly [number, number],
  ): Tensor;
  /** ∂L/∂bias [O]; a fast path without one keeps the registered kernel. */
  backwardBias?(gradOutput: Tensor): Tensor;
}

/**
 * The kernels 'conv2d', 'conv2dBackwardInput', 'conv2dBackwardWeights' (and 'conv2dBackwardBias') as
 * a table for `registerKernels` or `defineKernelSet`: the one place that unpacks the kernels'
 * attributes (framework/backend/kernels.ts) into the functions' arguments.
 */
export function conv2dKernelTable(functions: Conv2dKernelFunctions): KernelTable {
  const { forward, backwardInput, backwardWeights, backwardBias } = functions;
  return {
    conv2d: ([x, weight, bias], attributes) => forward(x, weight, bias, attributes, attributes.outShape),
    conv2dBackwardInput: ([gradOutput, weight], attributes) =>
      backwardInput(gradOutput, weight, attributes, attributes.inShape),
    conv2dBackwardWeights: ([x, gradOutput], attributes) =>
      backwardWeights(x, gradOutput, attributes, attributes.kernelShape),
    ...(backwardBias && { conv2dBackwardBias: ([gradOutput]) => backwardBias(gradOutput) }),
  };
}
