import { registerKernel } from '../../framework/backend/kernel-registry.js';
import { ShapeError } from '../../framework/errors.js';
import { formatShape } from '../../framework/tensor/shape.js';
import { dispatch, emptyGpuTensor, loadWgslKernel, workgroupsFor } from '../../framework/webgpu/index.js';

/**
 * Conv forward on WebGPU: registers 'conv2d' for 'webgpu' with Exercise 2's contract
 * (solutions/layers/conv2d-kernels.ts), so the Conv layer (1-D and 2-D) runs its forward pass on
 * the GPU unchanged:
 *   inputs     [x [B, C, H, W], weight [O, C, KH, KW], bias [O]]
 *   attributes { stride: [sh, sw], padBefore: [pt, pl], outShape: [OH, OW] }
 *   output     y [B, O, OH, OW]
 * The backward kernels stay on the CPU (the exercise is the forward pass).
 *
 * Handout: docs/exercises/5-webgpu.md#conv2d-kernel
 */
export const conv2dKernel = loadWgslKernel(new URL('./conv2d.wgsl', import.meta.url), {
  name: 'conv2d',
  bindings: ['read', 'read', 'read', 'write', 'uniform'],
});

const TILE = 8; // @workgroup_size(8, 8, 1) in conv2d.wgsl

registerKernel('conv2d', 'webgpu', ([x, weight, bias], attributes) => {
  const [sh, sw] = attributes.stride;
  const [pt, pl] = attributes.padBefore;
  const [outHeight, outWidth] = attributes.outShape;
  const [batch, inChannels, height, width] = x.shape;
  const [outChannels, weightChannels, kernelHeight, kernelWidth] = weight.shape;
  if (x.rank !== 4 || weight.rank !== 4 || weightChannels !== inChannels || bias.size !== outChannels) {
    throw new ShapeError(
      `conv2d (webgpu) expected x [B, C, H, W], weight [O, C, KH, KW], bias [O], got ${formatShape(x.shape)}, ${formatShape(weight.shape)}, ${formatShape(bias.shape)}`,
    );
  }
  const y = emptyGpuTensor([batch, outChannels, outHeight, outWidth]);
  dispatch(conv2dKernel, {
    buffers: [x, weight, bias, y],
    params: [
      batch,
      inChannels,
      height,
      width,
      outChannels,
      kernelHeight,
      kernelWidth,
      outHeight,
      outWidth,
      sh,
      sw,
      pt,
      pl,
    ].map((u32) => ({ u32 })),
    workgroups: [workgroupsFor(outWidth, TILE), workgroupsFor(outHeight, TILE), batch * outChannels],
  });
  return y;
});
