import '../../../framework/webgpu/index.js';
import '#impl/kernels/relu-kernels.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { publicCases, tensorData } from '../../case-api.js';

/** Values float32 holds exactly, so the student's and the reference's kernels start from the same numbers. */
const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -2, 2).asType('float32').asType('float64');

/** relu and reluBackward of x (and upstream dy) on the GPU, read back. */
async function onGpu(x: Tensor, dy: Tensor) {
  const [xs, dys] = [await x.to('webgpu'), await dy.to('webgpu')];
  const forward = tensorData(await runKernel('relu', [xs]).to('cpu'), "the 'relu' WebGPU kernel");
  const backward = tensorData(await runKernel('reluBackward', [xs, dys]).to('cpu'), "the 'reluBackward' WebGPU kernel");
  return { forward, backward };
}

export default publicCases('ex5', 'ElementwiseKernels', [
  {
    id: 'elementwise-relu-known-values',
    title: 'relu zeroes negatives and zero, reluBackward passes the gradient where x > 0',
    compare: { kind: 'exact' },
    run: () => onGpu(fromArray([[-2, -0.5, 0, 0.5, 3]]), fromArray([[10, 20, 30, 40, 50]])),
  },
  {
    id: 'elementwise-relu-workgroup-sizes',
    title: 'relu and reluBackward on 7, 255, 256, 257 and 3000 elements (below, at and past a workgroup of 256)',
    compare: { kind: 'exact' },
    run: async () => {
      const rng = new Rng(11);
      const out: Record<string, unknown> = {};
      for (const n of [7, 255, 256, 257, 3000]) out[`n${n}`] = await onGpu(random(rng, [n]), random(rng, [n]));
      return out;
    },
  },
  {
    id: 'elementwise-relu-four-dimensional',
    title: 'relu and reluBackward on a [2, 3, 5, 7] tensor',
    compare: { kind: 'exact' },
    run: () => {
      const rng = new Rng(12);
      return onGpu(random(rng, [2, 3, 5, 7]), random(rng, [2, 3, 5, 7]));
    },
  },
]);
