import { Flatten } from '#impl/layers/flatten.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex2', 'Flatten', [
  {
    id: 'flatten-hidden-random-ranks',
    title: 'forward and backward on random ranks 2 to 5 and sizes',
    points: 1,
    compare: { kind: 'exact' },
    run: (rng) => [2, 3, 5].map((rank) => {
      const shape = Array.from({ length: rank }, () => intIn(rng, 1, 4));
      const layer = new Flatten();
      const output = tensorData(layer.forward(rng.normalTensor(shape)), 'Flatten.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor(output.shape)), 'Flatten.backward') };
    }),
  },
  {
    id: 'flatten-hidden-batch-of-one',
    title: 'a batch of one image',
    points: 1,
    compare: { kind: 'exact' },
    run: (rng) => {
      const layer = new Flatten();
      const shape = [1, intIn(rng, 1, 3), intIn(rng, 2, 5), intIn(rng, 2, 5)];
      const output = tensorData(layer.forward(rng.normalTensor(shape)), 'Flatten.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor(output.shape)), 'Flatten.backward') };
    },
  },
]);
