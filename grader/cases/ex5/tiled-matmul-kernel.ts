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
  return tensorData(await runKernel('matmulTiled', [await a.to('webgpu'), await b.to('webgpu')]).to('cpu'), "the 'matmulTiled' WebGPU kernel");
}

export default publicCases('ex5', 'TiledMatmulKernel', [
  {
    id: 'matmul-tiled-known-values',
    title: '[[1, 2], [3, 4]]·[[5, 6], [7, 8]] and a column times a row',
    compare: { kind: 'exact' },
    run: async () => ({
      square: await product(fromArray([[1, 2], [3, 4]]), fromArray([[5, 6], [7, 8]])),
      outer: await product(fromArray([[4], [5], [6]]), fromArray([[1, 2, 3]])),
    }),
  },
  {
    id: 'matmul-tiled-identity-65',
    title: 'X·I and I·X of a 65×65 matrix (a 64×64 block and one more row and column)',
    compare: { kind: 'exact' },
    run: async () => {
      const x = random(new Rng(29), [65, 65]);
      const identity = fromArray(Array.from({ length: 65 }, (_, i) => Array.from({ length: 65 }, (_, j) => (i === j ? 1 : 0))));
      return { right: await product(x, identity), left: await product(identity, x) };
    },
  },
  {
    id: 'matmul-tiled-block-sizes',
    title: 'm×k·k×n for (63, 10, 63), (64, 64, 64), (65, 70, 66), (1, 130, 129), (100, 3, 1): below, at and past the 64×64 block',
    weight: 2,
    compare: { kind: 'close', tolerance: TOLERANCE },
    run: async () => {
      const rng = new Rng(23);
      const out: Record<string, unknown> = {};
      for (const [m, k, n] of [[63, 10, 63], [64, 64, 64], [65, 70, 66], [1, 130, 129], [100, 3, 1]]) out[`${m}x${k}x${n}`] = await product(random(rng, [m, k]), random(rng, [k, n]));
      return out;
    },
  },
]);
