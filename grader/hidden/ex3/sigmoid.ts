import { Sigmoid } from '#impl/activations/sigmoid.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex3', 'Sigmoid', [
  {
    id: 'sigmoid-hidden-random',
    title: 'forward and backward on a random batch of random shape',
    points: 2,
    run: (rng) => {
      const shape = [intIn(rng, 1, 5), intIn(rng, 1, 5), intIn(rng, 1, 3)];
      const layer = new Sigmoid();
      const output = tensorData(layer.forward(rng.normalTensor(shape, 0, 3)), 'Sigmoid.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor(shape)), 'Sigmoid.backward') };
    },
  },
  {
    id: 'sigmoid-hidden-extreme-inputs',
    title: 'forward and backward on very large positive and negative inputs',
    points: 1,
    run: (rng) => {
      const layer = new Sigmoid();
      const output = tensorData(layer.forward(rng.uniformTensor([4, 5], -900, 900)), 'Sigmoid.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor([4, 5])), 'Sigmoid.backward') };
    },
  },
]);
