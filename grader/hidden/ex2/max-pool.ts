import { MaxPool } from '#impl/layers/max-pool.js';
import { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

/** Forward and backward of a pool on `x` with a random ∂L/∂y. */
function run(pool: MaxPool, x: Tensor, gradOutput: (shape: readonly number[]) => Tensor) {
  const output = pool.forward(x);
  return { output: tensorData(output, 'MaxPool.forward'), gradInput: tensorData(pool.backward(gradOutput(output.shape)), 'MaxPool.backward') };
}

export default hiddenCases('ex2', 'MaxPool', [
  {
    id: 'max-pool-hidden-random',
    title: 'random windows, strides and sizes: forward and backward',
    points: 3,
    compare: { kind: 'close', tolerance: 1e-12 },
    run: (rng) => [0, 1, 2].map(() => {
      const kernelSize = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
      const stride = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
      const shape = [intIn(rng, 1, 2), intIn(rng, 1, 3), intIn(rng, kernelSize[0], 8), intIn(rng, kernelSize[1], 8)];
      return run(new MaxPool({ kernelSize, stride }), rng.normalTensor(shape), (s) => rng.normalTensor(s));
    }),
  },
  {
    id: 'max-pool-hidden-ties-overlapping',
    title: 'many ties (small integers) under overlapping windows: the first maximum of each window gets its gradient',
    points: 3,
    compare: { kind: 'exact' },
    run: (rng) => {
      const shape = [2, 2, intIn(rng, 4, 7), intIn(rng, 4, 7)];
      const x = new Tensor(shape, Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.int(3)));
      return run(new MaxPool({ kernelSize: [intIn(rng, 2, 3), intIn(rng, 2, 3)], stride: 1 }), x, (s) => new Tensor(s, Float64Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => 1 + rng.int(9))));
    },
  },
  {
    id: 'max-pool-hidden-stride-leaves-a-remainder',
    title: 'a stride that leaves rows and columns outside every window: they get no gradient',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-12 },
    run: (rng) => run(new MaxPool({ kernelSize: [2, 2], stride: 3 }), rng.normalTensor([1, 2, 3 * intIn(rng, 2, 3) + 1, 3 * intIn(rng, 2, 3) + 2]), (s) => rng.normalTensor(s)),
  },
]);
