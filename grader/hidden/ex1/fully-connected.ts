import { FullyConnected } from '#impl/layers/fully-connected.js';
import { gradientData, hiddenCases, intIn, tensorData } from '../../case-api.js';
import type { Rng } from '../../../framework/random/rng.js';

/** A layer of random size with random weights and a matching random batch, all from the case seed. */
function randomSetup(rng: Rng, batch = intIn(rng, 1, 6)) {
  const inFeatures = intIn(rng, 1, 7);
  const outFeatures = intIn(rng, 1, 5);
  const layer = new FullyConnected(inFeatures, outFeatures, { rng: rng.fork() });
  layer.weight.assign(rng.normalTensor([inFeatures, outFeatures]));
  layer.bias.assign(rng.normalTensor([outFeatures]));
  return { layer, input: rng.normalTensor([batch, inFeatures]), gradOutput: rng.normalTensor([batch, outFeatures]) };
}

export default hiddenCases('ex1', 'FullyConnected', [
  {
    id: 'fully-connected-hidden-forward-random-shapes',
    title: 'forward on random sizes and values',
    points: 4,
    run: (rng) => {
      const { layer, input } = randomSetup(rng);
      return tensorData(layer.forward(input), 'FullyConnected.forward');
    },
  },
  {
    id: 'fully-connected-hidden-backward-random-shapes',
    title: 'backward on random sizes: input, weight and bias gradients',
    points: 4,
    run: (rng) => {
      const { layer, input, gradOutput } = randomSetup(rng);
      layer.forward(input);
      const gradInput = layer.backward(gradOutput);
      return { input: tensorData(gradInput, 'FullyConnected.backward'), parameters: gradientData(layer.parameters(), 'FullyConnected.backward') };
    },
  },
  {
    id: 'fully-connected-hidden-batch-of-one',
    title: 'a batch of a single example, forward and backward',
    points: 2,
    run: (rng) => {
      const { layer, input, gradOutput } = randomSetup(rng, 1);
      const output = tensorData(layer.forward(input), 'FullyConnected.forward');
      const gradInput = tensorData(layer.backward(gradOutput), 'FullyConnected.backward');
      return { output, gradInput, parameters: gradientData(layer.parameters(), 'FullyConnected.backward') };
    },
  },
]);
