import { ReLU, reluBackwardCpu, reluCpu } from '#impl/activations/relu.js';
import { tensor } from '../../../framework/tensor/create.js';
import { publicCases, tensorData } from '../../case-api.js';

const input = () => tensor([-2, -0.5, 0, 0.5, 3, -1e-9], [2, 3]);

export default publicCases('ex1', 'ReLU', [
  {
    id: 'relu-forward-known-values',
    title: 'forward: max(0, x) on values around 0',
    run: () => tensorData(new ReLU().forward(input()), 'ReLU.forward'),
  },
  {
    id: 'relu-backward-known-values',
    title: 'backward: the gradient passes where x > 0 only (0 at exactly 0)',
    run: () => {
      const layer = new ReLU();
      layer.forward(input());
      return tensorData(layer.backward(tensor([1, 2, 3, 4, 5, 6], [2, 3])), 'ReLU.backward');
    },
  },
  {
    id: 'relu-cpu-kernels',
    title: "the CPU kernels 'relu' and 'reluBackward' on a 1-D tensor",
    run: () => {
      const x = tensor([-1, 0, 2], [3]);
      return { forward: tensorData(reluCpu(x), 'reluCpu'), backward: tensorData(reluBackwardCpu(x, tensor([5, 6, 7], [3])), 'reluBackwardCpu') };
    },
  },
]);
