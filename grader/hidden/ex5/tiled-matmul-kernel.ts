import '../../../framework/webgpu/index.js';
import '#impl/kernels/matmul.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');

async function product(rng: Rng, m: number, k: number, n: number) {
  const [a, b] = [await random(rng, [m, k]).to('webgpu'), await random(rng, [k, n]).to('webgpu')];
  return tensorData(await runKernel('matmulTiled', [a, b]).to('cpu'), "the 'matmulTiled' WebGPU kernel");
}

export default hiddenCases('ex5', 'TiledMatmulKernel', [
  {
    id: 'matmul-tiled-hidden-random-shapes',
    title: 'three products of random shapes up to 150 on a side',
    points: 4,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: async (rng) => {
      const out: unknown[] = [];
      for (let k = 0; k < 3; k++) out.push(await product(rng, intIn(rng, 1, 150), intIn(rng, 1, 150), intIn(rng, 1, 150)));
      return out;
    },
  },
  {
    id: 'matmul-tiled-hidden-block-multiples',
    title: 'a product whose sizes are all multiples of the 64×64 block',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: (rng) => product(rng, 64 * intIn(rng, 1, 2), 64 * intIn(rng, 1, 3), 64 * intIn(rng, 1, 2)),
  },
  {
    id: 'matmul-tiled-hidden-thin',
    title: 'thin products: a random row times a matrix, a matrix times a column, inner size 1',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: async (rng) => ({
      row: await product(rng, 1, intIn(rng, 20, 200), intIn(rng, 17, 40)),
      column: await product(rng, intIn(rng, 17, 40), intIn(rng, 20, 200), 1),
      outer: await product(rng, intIn(rng, 2, 40), 1, intIn(rng, 2, 40)),
    }),
  },
]);
