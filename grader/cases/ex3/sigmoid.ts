import { Sigmoid, sigmoidBackwardCpu, sigmoidCpu } from '#impl/activations/sigmoid.js';
import { tensor } from '../../../framework/tensor/create.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

const input = () => tensor([-3, -0.5, 0, 0.5, 2, 1e-9], [2, 3]);

export default publicCases('ex3', 'Sigmoid', [
  {
    id: 'sigmoid-forward-known-values',
    title: 'forward: σ(x) = 1/(1 + e^(−x)) on values around 0 (seed 004: 2712–2717)',
    run: () => tensorData(new Sigmoid().forward(input()), 'Sigmoid.forward'),
  },
  {
    id: 'sigmoid-forward-large-inputs',
    title: 'forward on ±800 and ±40: finite, saturated values (no overflow of e^x)',
    run: () => tensorData(new Sigmoid().forward(tensor([-800, -40, 40, 800], [1, 4])), 'Sigmoid.forward'),
  },
  {
    id: 'sigmoid-backward-known-values',
    title: 'backward: ∂L/∂x = ∂L/∂y · y·(1 − y), from the output forward kept',
    run: () => {
      const layer = new Sigmoid();
      layer.forward(input());
      return tensorData(layer.backward(tensor([1, 2, 3, -4, 5, 6], [2, 3])), 'Sigmoid.backward');
    },
  },
  {
    id: 'sigmoid-cpu-kernels-and-errors',
    title: 'the CPU kernels on a 1-D tensor; a gradient of another shape is refused with a ShapeError, backward first with a StateError',
    run: () => {
      const x = tensor([-1, 0, 2], [3]);
      const layer = new Sigmoid();
      layer.forward(x);
      return {
        forward: tensorData(sigmoidCpu(x), 'sigmoidCpu'),
        backward: tensorData(sigmoidBackwardCpu(sigmoidCpu(x), tensor([5, 6, 7], [3])), 'sigmoidBackwardCpu'),
        wrongGradient: errorName(() => layer.backward(tensor([1, 2], [2]))),
        backwardBeforeForward: errorName(() => new Sigmoid().backward(x)),
      };
    },
  },
]);
