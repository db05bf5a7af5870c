import { CrossEntropyLoss } from '#impl/losses/cross-entropy-loss.js';
import { oneHot } from '../../../framework/data/one-hot.js';
import { tensor } from '../../../framework/tensor/create.js';
import { hiddenCases, intIn, numberData, tensorData } from '../../case-api.js';
import type { Rng } from '../../../framework/random/rng.js';

/** Random probability rows (positive, summing to 1) and random one-hot targets. */
function randomBatch(rng: Rng) {
  const batch = intIn(rng, 1, 6);
  const classes = intIn(rng, 2, 5);
  const values: number[] = [];
  for (let row = 0; row < batch; row++) {
    const raw = Array.from({ length: classes }, () => rng.uniformIn(0.05, 1));
    const total = raw.reduce((a, b) => a + b, 0);
    values.push(...raw.map((v) => v / total));
  }
  const labels = Array.from({ length: batch }, () => rng.int(classes));
  return { prediction: tensor(values, [batch, classes]), target: oneHot(labels, classes) };
}

export default hiddenCases('ex1', 'CrossEntropyLoss', [
  {
    id: 'cross-entropy-hidden-random',
    title: 'forward and backward on random probabilities',
    points: 3,
    run: (rng) => {
      const { prediction, target } = randomBatch(rng);
      const loss = new CrossEntropyLoss();
      const value = numberData(loss.forward(prediction, target), 'CrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'CrossEntropyLoss.backward') };
    },
  },
  {
    id: 'cross-entropy-hidden-zero-probability',
    title: 'a true class predicted with probability 0 stays finite (the ε)',
    points: 2,
    run: () => {
      const loss = new CrossEntropyLoss();
      const value = numberData(loss.forward(tensor([0, 1, 0.5, 0.5], [2, 2]), tensor([1, 0, 0, 1], [2, 2])), 'CrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'CrossEntropyLoss.backward') };
    },
    compare: { kind: 'close', tolerance: 1e-9 },
  },
]);
