import { TanH, tanhBackwardCpu, tanhCpu } from '#impl/activations/tanh.js';
import { tensor } from '../../../framework/tensor/create.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

const input = () => tensor([-3, -0.5, 0, 0.5, 2, 1e-9], [2, 3]);

export default publicCases('ex3', 'TanH', [
  {
    id: 'tanh-forward-known-values',
    title: 'forward: tanh(x) on values around 0 (seed 004: 2734–2751)',
    run: () => tensorData(new TanH().forward(input()), 'TanH.forward'),
  },
  {
    id: 'tanh-forward-large-inputs',
    title: 'forward on ±800 and ±40: finite, saturated values (no overflow of e^x)',
    run: () => tensorData(new TanH().forward(tensor([-800, -40, 40, 800], [1, 4])), 'TanH.forward'),
  },
  {
    id: 'tanh-backward-known-values',
    title: 'backward: ∂L/∂x = ∂L/∂y · 1 − y², from the output forward kept',
    run: () => {
      const layer = new TanH();
      layer.forward(input());
      return tensorData(layer.backward(tensor([1, 2, 3, -4, 5, 6], [2, 3])), 'TanH.backward');
    },
  },
  {
    id: 'tanh-cpu-kernels-and-errors',
    title: 'the CPU kernels on a 1-D tensor; a gradient of another shape is refused with a ShapeError, backward first with a StateError',
    run: () => {
      const x = tensor([-1, 0, 2], [3]);
      const layer = new TanH();
      layer.forward(x);
      return {
        forward: tensorData(tanhCpu(x), 'tanhCpu'),
        backward: tensorData(tanhBackwardCpu(tanhCpu(x), tensor([5, 6, 7], [3])), 'tanhBackwardCpu'),
        wrongGradient: errorName(() => layer.backward(tensor([1, 2], [2]))),
        backwardBeforeForward: errorName(() => new TanH().backward(x)),
      };
    },
  },
]);
