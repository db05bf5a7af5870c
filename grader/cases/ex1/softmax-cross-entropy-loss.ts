import { SoftmaxCrossEntropyLoss } from '#impl/losses/softmax-cross-entropy-loss.js';
import { tensor } from '../../../framework/tensor/create.js';
import { numberData, publicCases, tensorData } from '../../case-api.js';

const logits = () => tensor([2, 1, 0.1, -1, 3, 0.5], [2, 3]);
const target = () => tensor([1, 0, 0, 0, 0, 1], [2, 3]);

export default publicCases('ex1', 'SoftmaxCrossEntropyLoss', [
  {
    id: 'softmax-cross-entropy-forward-known-values',
    title: 'forward on logits: −log softmax of the true class, mean over the batch',
    run: () => numberData(new SoftmaxCrossEntropyLoss().forward(logits(), target()), 'SoftmaxCrossEntropyLoss.forward'),
  },
  {
    id: 'softmax-cross-entropy-backward-known-values',
    title: 'backward: (ŷ − y) / batch',
    run: () => {
      const loss = new SoftmaxCrossEntropyLoss();
      loss.forward(logits(), target());
      return tensorData(loss.backward(), 'SoftmaxCrossEntropyLoss.backward');
    },
  },
  {
    id: 'softmax-cross-entropy-large-logits',
    title: 'logits of 1000 give a finite loss (log-sum-exp with the maximum subtracted)',
    run: () => numberData(new SoftmaxCrossEntropyLoss().forward(tensor([1000, 0, -1000], [1, 3]), tensor([0, 1, 0], [1, 3])), 'SoftmaxCrossEntropyLoss.forward'),
  },
]);
