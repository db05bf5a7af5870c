import { registerKernel } from '../../framework/backend/kernel-registry.js';
import { dispatch, emptyGpuTensor, loadWgslKernel } from '../../framework/webgpu/index.js';

/**
 * SoftMax over the last axis on WebGPU: registers 'softmax' for 'webgpu', so the SoftMax layer of
 * Exercise 1 runs its forward pass on the GPU (its backward is framework ops, which run there too).
 * One workgroup per row; all leading axes count as rows.
 *
 * Handout: docs/exercises/5-webgpu.md#softmax-kernel
 */
export const softmaxKernel = loadWgslKernel(new URL('./softmax.wgsl', import.meta.url), {
  name: 'softmax',
  bindings: ['read', 'write', 'uniform'],
});

registerKernel('softmax', 'webgpu', ([input]) => {
  const classes = input.shape[input.rank - 1];
  const rows = input.size / classes;
  const output = emptyGpuTensor(input.shape);
  dispatch(softmaxKernel, {
    buffers: [input, output],
    params: [{ u32: rows }, { u32: classes }],
    workgroups: [rows],
  });
  return output;
});
