import { FullyConnected } from '#impl/layers/fully-connected.js';
import { tensor } from '../../../framework/tensor/create.js';
import { Rng } from '../../../framework/random/rng.js';
import { gradientData, publicCases, tensorData } from '../../case-api.js';

/** A 3 → 2 layer with the weights and bias the public known-value test uses. */
function knownLayer(): FullyConnected {
  const layer = new FullyConnected(3, 2, { rng: new Rng(1) });
  layer.weight.assign(tensor([1, -1, 0.5, 2, -0.25, 0], [3, 2]));
  layer.bias.assign(tensor([0.1, -0.2], [2]));
  return layer;
}

const input = () => tensor([1, 2, 3, -1, 0, 0.5], [2, 3]);

export default publicCases('ex1', 'FullyConnected', [
  {
    id: 'fully-connected-forward-known-values',
    title: 'forward: y = x·W + b on a 2×3 batch with known weights',
    run: () => tensorData(knownLayer().forward(input()), 'FullyConnected.forward'),
  },
  {
    id: 'fully-connected-backward-known-values',
    title: 'backward: ∂L/∂x, ∂L/∂W and ∂L/∂b for a known gradient',
    run: () => {
      const layer = knownLayer();
      layer.forward(input());
      const gradInput = layer.backward(tensor([1, 0, -2, 0.5], [2, 2]));
      return { input: tensorData(gradInput, 'FullyConnected.backward'), parameters: gradientData(layer.parameters(), 'FullyConnected.backward') };
    },
  },
  {
    id: 'fully-connected-gradients-accumulate',
    title: 'backward twice: parameter gradients add up',
    run: () => {
      const layer = knownLayer();
      layer.forward(input());
      layer.backward(tensor([1, 1, 1, 1], [2, 2]));
      layer.backward(tensor([1, 1, 1, 1], [2, 2]));
      return gradientData(layer.parameters(), 'FullyConnected.backward');
    },
  },
]);
