import { Flatten } from '#impl/layers/flatten.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray, zeros } from '../../../framework/tensor/create.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

export default publicCases('ex2', 'Flatten', [
  {
    id: 'flatten-forward-known-values',
    title: 'forward orders features channel-major, row-major within a channel: (c·H + h)·W + w',
    compare: { kind: 'exact' },
    run: () => tensorData(new Flatten().forward(fromArray([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 10], [11, 12]], [[13, 14], [15, 16]]]])), 'Flatten.forward'),
  },
  {
    id: 'flatten-backward-restores-shape',
    title: 'backward reshapes ∂L/∂y [3, 24] back to the input shape [3, 2, 3, 4]',
    compare: { kind: 'exact' },
    run: () => {
      const rng = new Rng(5);
      const layer = new Flatten();
      const output = tensorData(layer.forward(rng.normalTensor([3, 2, 3, 4])), 'Flatten.forward');
      return { output, gradInput: tensorData(layer.backward(rng.normalTensor([3, 24])), 'Flatten.backward') };
    },
  },
  {
    id: 'flatten-errors',
    title: 'a 1-D input and a gradient of the wrong shape are refused with a ShapeError; backward before forward with a StateError',
    compare: { kind: 'exact' },
    run: () => {
      const layer = new Flatten();
      const output = tensorData(layer.forward(zeros([2, 3, 4])), 'Flatten.forward');
      return {
        output: output.shape,
        oneDimensional: errorName(() => new Flatten().forward(zeros([5]))),
        backwardBeforeForward: errorName(() => new Flatten().backward(zeros([1, 4]))),
        wrongGradient: errorName(() => layer.backward(zeros([2, 11]))),
      };
    },
  },
]);
