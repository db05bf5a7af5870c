import { TanH } from '#impl/activations/tanh.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex3', 'TanH', [
  {
    id: 'tanh-hidden-random',
    title: 'forward and backward on a random batch of random shape',
    points: 2,
    run: (rng) => {
      const shape = [intIn(rng, 1, 5), intIn(rng, 1, 5), intIn(rng, 1, 3)];
      const layer = new TanH();
      const output = tensorData(layer.forward(rng.normalTensor(shape, 0, 3)), 'TanH.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor(shape)), 'TanH.backward') };
    },
  },
  {
    id: 'tanh-hidden-extreme-inputs',
    title: 'forward and backward on very large positive and negative inputs',
    points: 1,
    run: (rng) => {
      const layer = new TanH();
      const output = tensorData(layer.forward(rng.uniformTensor([4, 5], -900, 900)), 'TanH.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor([4, 5])), 'TanH.backward') };
    },
  },
]);
