import { registerKernel } from '../../framework/backend/kernel-registry.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { dispatch, emptyGpuTensor, loadWgslKernel, workgroupsFor } from '../../framework/webgpu/index.js';

/**
 * ReLU on WebGPU: registers 'relu' and 'reluBackward' for the 'webgpu' backend, so the ReLU layer
 * of Exercise 1 runs on the GPU when its input lives there. You write the two `.wgsl` files; this
 * file binds the buffers in the order the shaders declare them and sizes the grid.
 *
 * Handout: docs/exercises/5-webgpu.md#elementwise-kernels
 */
const WORKGROUP_SIZE = 256; // must match @workgroup_size in the .wgsl files

export const reluKernel = loadWgslKernel(new URL('./relu.wgsl', import.meta.url), {
  name: 'relu',
  bindings: ['read', 'write', 'uniform'],
});

export const reluBackwardKernel = loadWgslKernel(new URL('./relu-backward.wgsl', import.meta.url), {
  name: 'reluBackward',
  bindings: ['read', 'read', 'write', 'uniform'],
});

registerKernel('relu', 'webgpu', ([input]) => {
  const output = emptyGpuTensor(input.shape);
  dispatch(reluKernel, {
    buffers: [input, output],
    params: [{ u32: input.size }],
    workgroups: [workgroupsFor(input.size, WORKGROUP_SIZE)],
  });
  return output;
});

registerKernel('reluBackward', 'webgpu', ([input, gradOutput]) => {
  expectSameShape(input.shape, gradOutput.shape, 'reluBackward (webgpu)', ['input', 'gradOutput']);
  const gradInput = emptyGpuTensor(input.shape);
  dispatch(reluBackwardKernel, {
    buffers: [input, gradOutput, gradInput],
    params: [{ u32: input.size }],
    workgroups: [workgroupsFor(input.size, WORKGROUP_SIZE)],
  });
  return gradInput;
});
