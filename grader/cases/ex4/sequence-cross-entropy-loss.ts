import { SequenceCrossEntropyLoss } from '#impl/losses/sequence-cross-entropy-loss.js';
import { oneHotSequences } from '../../../framework/data/characters.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import { numberData, publicCases, tensorData } from '../../case-api.js';

export default publicCases('ex4', 'SequenceCrossEntropyLoss', [
  {
    id: 'sequence-cross-entropy-two-steps-known-values',
    title: "reduction 'sum': the two steps worked by hand (−ln ¾ + ln 3) and the gradient ŷ − y",
    run: () => {
      const loss = new SequenceCrossEntropyLoss({ reduction: 'sum' });
      const value = numberData(loss.forward(tensor([0, Math.log(3), Math.log(2), 0], [1, 2, 2]), tensor([0, 1, 0, 1], [1, 2, 2])), 'SequenceCrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward') };
    },
  },
  {
    id: 'sequence-cross-entropy-mean-random',
    title: "reduction 'mean' on logits [3, 4, 5]: loss and gradient divided by batch·time",
    weight: 2,
    run: () => {
      const rng = new Rng(11);
      const logits = rng.normalTensor([3, 4, 5]);
      const labels = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.int(5)));
      const loss = new SequenceCrossEntropyLoss();
      const value = numberData(loss.forward(logits, oneHotSequences(labels, 5)), 'SequenceCrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward') };
    },
  },
  {
    id: 'sequence-cross-entropy-large-logits',
    title: 'logits of 1000 give a finite loss (log-softmax with the maximum subtracted)',
    run: () => {
      const loss = new SequenceCrossEntropyLoss();
      const value = numberData(loss.forward(tensor([1000, 0, -1000, 0, 1000, 0], [1, 2, 3]), tensor([0, 1, 0, 0, 1, 0], [1, 2, 3])), 'SequenceCrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward') };
    },
  },
]);
