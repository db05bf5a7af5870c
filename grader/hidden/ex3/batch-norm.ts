import { BatchNorm } from '#impl/layers/batch-norm.js';
import { addScalar, scale } from '../../../framework/ops/arithmetic.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { gradientData, hiddenCases, intIn, tensorData } from '../../case-api.js';

/** A layer with random γ, β (and momentum and ε when asked). */
function randomLayer(rng: Rng, channels: number, options: { momentum?: number; eps?: number } = {}): BatchNorm {
  const layer = new BatchNorm(channels, options);
  layer.gamma.assign(rng.uniformTensor([channels], -2, 2));
  layer.beta.assign(rng.uniformTensor([channels], -1, 1));
  return layer;
}

/** A random input with spread and offset, as badly scaled features are. */
const randomInput = (rng: Rng, shape: number[]): Tensor => addScalar(scale(rng.normalTensor(shape), rng.uniformIn(0.5, 10)), rng.uniformIn(-20, 20));

function forwardBackward(layer: BatchNorm, x: Tensor, rng: Rng) {
  const output = tensorData(layer.forward(x), 'BatchNorm.forward');
  const gradInput = tensorData(layer.backward(rng.normalTensor(x.shape)), 'BatchNorm.backward');
  return { output, gradInput, gradients: gradientData(layer.parameters(), 'BatchNorm.backward'), runningMean: tensorData(layer.runningMean, 'BatchNorm.runningMean'), runningVar: tensorData(layer.runningVar, 'BatchNorm.runningVar') };
}

export default hiddenCases('ex3', 'BatchNorm', [
  {
    id: 'batch-norm-hidden-training-features',
    title: 'training on random [batch, C]: output, gradients and running statistics',
    points: 3,
    run: (rng) => {
      const channels = intIn(rng, 1, 5);
      return forwardBackward(randomLayer(rng, channels), randomInput(rng, [intIn(rng, 2, 8), channels]), rng);
    },
  },
  {
    id: 'batch-norm-hidden-training-images-and-sequences',
    title: 'training on random [batch, C, H, W] and [batch, C, L], including a batch of one image',
    points: 3,
    run: (rng) => {
      const channels = intIn(rng, 1, 4);
      return [
        [intIn(rng, 2, 4), channels, intIn(rng, 1, 4), intIn(rng, 2, 4)],
        [1, channels, intIn(rng, 2, 4), intIn(rng, 2, 4)],
        [intIn(rng, 2, 4), channels, intIn(rng, 2, 6)],
      ].map((shape) => forwardBackward(randomLayer(rng, channels), randomInput(rng, shape), rng));
    },
  },
  {
    id: 'batch-norm-hidden-eval-after-training',
    title: 'eval after several training forwards: the running statistics normalise a new batch and a single example',
    points: 3,
    run: (rng) => {
      const channels = intIn(rng, 1, 4);
      const layer = randomLayer(rng, channels);
      for (let i = 0; i < 5; i++) layer.forward(randomInput(rng, [6, channels, 2, 2]));
      layer.training = false;
      return [forwardBackward(layer, randomInput(rng, [3, channels, 2, 2]), rng), forwardBackward(layer, randomInput(rng, [1, channels, 2, 2]), rng)];
    },
  },
  {
    id: 'batch-norm-hidden-momentum-and-eps',
    title: 'a random momentum and ε: running statistics over several batches, then output and gradients',
    points: 3,
    run: (rng) => {
      const channels = intIn(rng, 1, 4);
      const layer = randomLayer(rng, channels, { momentum: rng.uniformIn(0.01, 0.9), eps: rng.uniformIn(1e-4, 0.5) });
      for (let i = 0; i < 3; i++) layer.forward(randomInput(rng, [intIn(rng, 2, 6), channels]));
      return forwardBackward(layer, randomInput(rng, [intIn(rng, 2, 6), channels]), rng);
    },
  },
]);
