import '../../../framework/webgpu/index.js';
import '#impl/kernels/softmax-kernel.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { publicCases, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -4, 4).asType('float32').asType('float64');
const TOLERANCE = 1e-4;

async function softmaxOnGpu(x: Tensor) {
  return tensorData(await runKernel('softmax', [await x.to('webgpu')]).to('cpu'), "the 'softmax' WebGPU kernel");
}

export default publicCases('ex5', 'SoftmaxKernel', [
  {
    id: 'softmax-kernel-known-values',
    title: "the seed's four-class row, and (1, 1000, 2) without overflow (subtract the row maximum)",
    compare: { kind: 'close', tolerance: TOLERANCE },
    run: async () => ({ table: await softmaxOnGpu(fromArray([[-3.44, 1.16, -0.81, 3.91]])), large: await softmaxOnGpu(fromArray([[1, 1000, 2]])) }),
  },
  {
    id: 'softmax-kernel-row-sizes',
    title: 'rows × classes of 1×1, 4×3, 3×63, 2×64, 5×65, 2×129, 1×1000 and 300×10',
    weight: 2,
    compare: { kind: 'close', tolerance: TOLERANCE },
    run: async () => {
      const rng = new Rng(31);
      const out: Record<string, unknown> = {};
      for (const [rows, classes] of [[1, 1], [4, 3], [3, 63], [2, 64], [5, 65], [2, 129], [1, 1000], [300, 10]]) out[`${rows}x${classes}`] = await softmaxOnGpu(random(rng, [rows, classes]));
      return out;
    },
  },
  {
    id: 'softmax-kernel-leading-axes',
    title: 'every leading axis is a row: a [2, 3, 70] tensor',
    compare: { kind: 'close', tolerance: TOLERANCE },
    run: () => softmaxOnGpu(random(new Rng(32), [2, 3, 70])),
  },
]);
