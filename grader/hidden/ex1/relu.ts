import { ReLU } from '#impl/activations/relu.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex1', 'ReLU', [
  {
    id: 'relu-hidden-forward-random',
    title: 'forward on a random 4-D tensor',
    points: 2,
    run: (rng) => tensorData(new ReLU().forward(rng.normalTensor([intIn(rng, 1, 3), intIn(rng, 1, 3), intIn(rng, 1, 4), intIn(rng, 1, 4)])), 'ReLU.forward'),
  },
  {
    id: 'relu-hidden-backward-random',
    title: 'backward on a random batch',
    points: 3,
    run: (rng) => {
      const shape = [intIn(rng, 1, 6), intIn(rng, 1, 6)];
      const layer = new ReLU();
      layer.forward(rng.normalTensor(shape));
      return tensorData(layer.backward(rng.normalTensor(shape)), 'ReLU.backward');
    },
  },
]);
