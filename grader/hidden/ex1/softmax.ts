import { SoftMax } from '#impl/activations/softmax.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex1', 'SoftMax', [
  {
    id: 'softmax-hidden-forward-random',
    title: 'forward on random logits of random size',
    points: 3,
    run: (rng) => tensorData(new SoftMax().forward(rng.normalTensor([intIn(rng, 1, 6), intIn(rng, 2, 8)], 0, 3)), 'SoftMax.forward'),
  },
  {
    id: 'softmax-hidden-forward-shifted',
    title: 'forward on very large and very negative logits',
    points: 2,
    run: (rng) => tensorData(new SoftMax().forward(rng.uniformTensor([3, intIn(rng, 2, 5)], -800, 800)), 'SoftMax.forward'),
  },
  {
    id: 'softmax-hidden-backward-random',
    title: 'backward on a random batch',
    points: 3,
    run: (rng) => {
      const shape = [intIn(rng, 1, 5), intIn(rng, 2, 6)];
      const layer = new SoftMax();
      layer.forward(rng.normalTensor(shape));
      return tensorData(layer.backward(rng.normalTensor(shape)), 'SoftMax.backward');
    },
  },
]);
