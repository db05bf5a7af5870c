import { CrossEntropyLoss } from '#impl/losses/cross-entropy-loss.js';
import { tensor } from '../../../framework/tensor/create.js';
import { numberData, publicCases, tensorData } from '../../case-api.js';

const prediction = () => tensor([0.7, 0.2, 0.1, 0.1, 0.3, 0.6], [2, 3]);
const target = () => tensor([1, 0, 0, 0, 0, 1], [2, 3]);

export default publicCases('ex1', 'CrossEntropyLoss', [
  {
    id: 'cross-entropy-forward-known-values',
    title: "forward: the mean of −log(ŷ of the true class) over a batch of 2",
    run: () => numberData(new CrossEntropyLoss().forward(prediction(), target()), 'CrossEntropyLoss.forward'),
  },
  {
    id: 'cross-entropy-backward-known-values',
    title: 'backward: −y / (ŷ + ε), divided by the batch size',
    run: () => {
      const loss = new CrossEntropyLoss();
      loss.forward(prediction(), target());
      return tensorData(loss.backward(), 'CrossEntropyLoss.backward');
    },
  },
  {
    id: 'cross-entropy-sum-reduction',
    title: "reduction 'sum': loss and gradient are not divided by the batch size",
    run: () => {
      const loss = new CrossEntropyLoss({ reduction: 'sum' });
      const value = numberData(loss.forward(prediction(), target()), 'CrossEntropyLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'CrossEntropyLoss.backward') };
    },
  },
]);
