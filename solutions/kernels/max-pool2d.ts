import { registerKernel } from '../../framework/backend/kernel-registry.js';
import { ShapeError } from '../../framework/errors.js';
import { formatShape } from '../../framework/tensor/shape.js';
import { dispatch, emptyGpuTensor, loadWgslKernel, workgroupsFor } from '../../framework/webgpu/index.js';

/**
 * MaxPool forward on WebGPU: registers 'maxPool2d' for 'webgpu' with Exercise 2's contract
 * (solutions/layers/max-pool.ts):
 *   inputs [x [B, C, H, W]], attributes { kernel: [ph, pw], stride: [sh, sw] }, output y [B, C, OH, OW]
 * ('valid': OH = ⌊(H − ph)/sh⌋ + 1). The backward ('maxPool2dBackward') stays on the CPU.
 *
 * Handout: docs/exercises/5-webgpu.md#maxpool-kernel
 */
export const maxPool2dKernel = loadWgslKernel(new URL('./max-pool2d.wgsl', import.meta.url), {
  name: 'maxPool2d',
  bindings: ['read', 'write', 'uniform'],
});

const WORKGROUP_SIZE = 256;

registerKernel('maxPool2d', 'webgpu', ([x], attributes) => {
  const [ph, pw] = attributes.kernel;
  const [sh, sw] = attributes.stride;
  if (x.rank !== 4 || x.shape[2] < ph || x.shape[3] < pw) {
    throw new ShapeError(
      `maxPool2d (webgpu): window [${ph}, ${pw}] does not fit input ${formatShape(x.shape)} (expected [B, C, H, W])`,
    );
  }
  const [batch, channels, height, width] = x.shape;
  const outHeight = Math.floor((height - ph) / sh) + 1;
  const outWidth = Math.floor((width - pw) / sw) + 1;
  const y = emptyGpuTensor([batch, channels, outHeight, outWidth]);
  dispatch(maxPool2dKernel, {
    buffers: [x, y],
    params: [batch * channels, height, width, ph, pw, sh, sw, outHeight, outWidth].map((u32) => ({ u32 })),
    workgroups: [workgroupsFor(y.size, WORKGROUP_SIZE)],
  });
  return y;
});
