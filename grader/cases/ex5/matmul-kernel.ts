import '../../../framework/webgpu/index.js';
import '#impl/kernels/matmul.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { publicCases, tensorData } from '../../case-api.js';

/** Values float32 holds exactly; float32 sums of k products in [−1, 1] differ by about k·6e-8 between summation orders. */
const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');
const TOLERANCE = 1e-4;

async function product(a: Tensor, b: Tensor) {
  return tensorData(await runKernel('matmulNaive', [await a.to('webgpu'), await b.to('webgpu')]).to('cpu'), "the 'matmulNaive' WebGPU kernel");
}

export default publicCases('ex5', 'MatmulKernel', [
  {
    id: 'matmul-naive-known-values',
    title: '[[1, 2], [3, 4]]·[[5, 6], [7, 8]], a dot product and an outer product',
    compare: { kind: 'exact' },
    run: async () => ({
      square: await product(fromArray([[1, 2], [3, 4]]), fromArray([[5, 6], [7, 8]])),
      dot: await product(fromArray([[1, 2, 3]]), fromArray([[4], [5], [6]])),
      outer: await product(fromArray([[4], [5], [6]]), fromArray([[1, 2, 3]])),
    }),
  },
  {
    id: 'matmul-naive-workgroup-sizes',
    title: 'm×k·k×n for (15, 7, 15), (16, 16, 16), (17, 16, 17), (32, 33, 31), (5, 300, 3): below, at and past the 16×16 workgroup',
    weight: 2,
    compare: { kind: 'close', tolerance: TOLERANCE },
    run: async () => {
      const rng = new Rng(23);
      const out: Record<string, unknown> = {};
      for (const [m, k, n] of [[15, 7, 15], [16, 16, 16], [17, 16, 17], [32, 33, 31], [5, 300, 3]]) out[`${m}x${k}x${n}`] = await product(random(rng, [m, k]), random(rng, [k, n]));
      return out;
    },
  },
]);
