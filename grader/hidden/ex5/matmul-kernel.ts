import '../../../framework/webgpu/index.js';
import '#impl/kernels/matmul.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');

async function product(rng: Rng, m: number, k: number, n: number) {
  const [a, b] = [await random(rng, [m, k]).to('webgpu'), await random(rng, [k, n]).to('webgpu')];
  return tensorData(await runKernel('matmulNaive', [a, b]).to('cpu'), "the 'matmulNaive' WebGPU kernel");
}

export default hiddenCases('ex5', 'MatmulKernel', [
  {
    id: 'matmul-naive-hidden-random-shapes',
    title: 'three products of random shapes up to 90 on a side',
    points: 4,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: async (rng) => {
      const out: unknown[] = [];
      for (let k = 0; k < 3; k++) out.push(await product(rng, intIn(rng, 1, 90), intIn(rng, 1, 90), intIn(rng, 1, 90)));
      return out;
    },
  },
  {
    id: 'matmul-naive-hidden-thin',
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
