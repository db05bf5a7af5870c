import { SoftMax } from '#impl/activations/softmax.js';
import { tensor } from '../../../framework/tensor/create.js';
import { publicCases, tensorData } from '../../case-api.js';

export default publicCases('ex1', 'SoftMax', [
  {
    id: 'softmax-forward-known-values',
    title: 'forward: rows of [1, 2, 3] and [0, 0, 0]',
    run: () => tensorData(new SoftMax().forward(tensor([1, 2, 3, 0, 0, 0], [2, 3])), 'SoftMax.forward'),
  },
  {
    id: 'softmax-forward-large-logits',
    title: 'forward: logits of 1000 do not overflow (subtract the row maximum)',
    run: () => tensorData(new SoftMax().forward(tensor([1000, 1001, 1002], [1, 3])), 'SoftMax.forward'),
  },
  {
    id: 'softmax-backward-known-values',
    title: 'backward: the Jacobian applied to a known gradient',
    run: () => {
      const layer = new SoftMax();
      layer.forward(tensor([1, 2, 3, 0.5, -0.5, 0], [2, 3]));
      return tensorData(layer.backward(tensor([1, 0, 0, 0.2, -0.4, 1], [2, 3])), 'SoftMax.backward');
    },
  },
]);
