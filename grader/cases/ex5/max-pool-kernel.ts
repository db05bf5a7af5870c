import '../../../framework/webgpu/index.js';
import '#impl/kernels/max-pool2d.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { publicCases, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -3, 3).asType('float32').asType('float64');

async function pool(x: Tensor, kernel: [number, number], stride: [number, number]) {
  return tensorData(await runKernel('maxPool2d', [await x.to('webgpu')], { kernel, stride }).to('cpu'), "the 'maxPool2d' WebGPU kernel");
}

export default publicCases('ex5', 'MaxPoolKernel', [
  {
    id: 'max-pool-kernel-known-values',
    title: 'a 4×4 image in 2×2 windows, stride 2',
    compare: { kind: 'exact' },
    run: () => pool(fromArray([[1, 2, 5, 6], [3, 4, 7, 8], [-1, -2, 0, 9], [-3, -4, 1, -9]]).reshape([1, 1, 4, 4]), [2, 2], [2, 2]),
  },
  {
    id: 'max-pool-kernel-geometries',
    title: 'outputs below, at and past the 256-invocation workgroup; overlapping and ragged windows',
    weight: 3,
    compare: { kind: 'exact' },
    run: async () => {
      const rng = new Rng(53);
      const geometries: Array<[number[], [number, number], [number, number]]> = [
        [[1, 1, 2, 2], [2, 2], [2, 2]],
        [[2, 3, 8, 8], [2, 2], [2, 2]],
        [[1, 4, 32, 32], [2, 2], [2, 2]],
        [[1, 1, 35, 31], [3, 3], [2, 2]],
        [[3, 2, 9, 12], [3, 2], [1, 3]],
        [[2, 16, 17, 17], [2, 2], [2, 2]],
      ];
      const out: Record<string, unknown> = {};
      for (const [index, [shape, kernel, stride]] of geometries.entries()) out[`geometry${index}`] = await pool(random(rng, shape), kernel, stride);
      return out;
    },
  },
]);
