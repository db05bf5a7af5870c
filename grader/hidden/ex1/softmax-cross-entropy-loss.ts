import { SoftmaxCrossEntropyLoss } from '#impl/losses/softmax-cross-entropy-loss.js';
import { oneHot } from '../../../framework/data/one-hot.js';
import { hiddenCases, intIn, numberData, tensorData } from '../../case-api.js';

export default hiddenCases('ex1', 'SoftmaxCrossEntropyLoss', [
  {
    id: 'softmax-cross-entropy-hidden-random',
    title: 'forward and backward on random logits',
    points: 3,
    run: (rng) => {
      const batch = intIn(rng, 1, 6);
      const classes = intIn(rng, 2, 6);
      const loss = new SoftmaxCrossEntropyLoss();
      const value = numberData(loss.forward(rng.normalTensor([batch, classes], 0, 4), oneHot(Array.from({ length: batch }, () => rng.int(classes)), classes)), 'SoftmaxCrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'SoftmaxCrossEntropyLoss.backward') };
    },
  },
  {
    id: 'softmax-cross-entropy-hidden-sum',
    title: "reduction 'sum' on random logits",
    points: 2,
    run: (rng) => {
      const batch = intIn(rng, 2, 5);
      const loss = new SoftmaxCrossEntropyLoss({ reduction: 'sum' });
      const value = numberData(loss.forward(rng.normalTensor([batch, 3]), oneHot(Array.from({ length: batch }, () => rng.int(3)), 3)), 'SoftmaxCrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'SoftmaxCrossEntropyLoss.backward') };
    },
  },
]);
