import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Rng } from '../../../framework/random/rng.js';
import { addScalar, scale } from '../../../framework/ops/arithmetic.js';
import { fromArray, tensor } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { errorName, gradientData, publicCases, tensorData } from '../../case-api.js';

/** γ, β and the running statistics set from a seed, as the public gradient tests do. */
function withParameters(channels: number, seed: number): BatchNorm {
  const layer = new BatchNorm(channels);
  const rng = new Rng(seed);
  layer.gamma.assign(rng.uniformTensor([channels], 0.5, 2));
  layer.beta.assign(rng.uniformTensor([channels], -1, 1));
  layer.runningMean.data.set(rng.uniformTensor([channels], -1, 1).data);
  layer.runningVar.data.set(rng.uniformTensor([channels], 0.5, 2).data);
  return layer;
}

/** Output, ∂L/∂input, ∂L/∂γ, ∂L/∂β and the running statistics after one forward and backward. */
function forwardBackward(layer: BatchNorm, x: Tensor, gradOutput: Tensor) {
  const output = tensorData(layer.forward(x), 'BatchNorm.forward');
  const gradInput = tensorData(layer.backward(gradOutput), 'BatchNorm.backward');
  return { output, gradInput, gradients: gradientData(layer.parameters(), 'BatchNorm.backward'), runningMean: tensorData(layer.runningMean, 'BatchNorm.runningMean'), runningVar: tensorData(layer.runningVar, 'BatchNorm.runningVar') };
}

export default publicCases('ex3', 'BatchNorm', [
  {
    id: 'batch-norm-known-values-features',
    title: '[[1], [3]] in training: μ = 2, σ² = 1 → ±1/√(1 + ε); running mean 0.2, running variance 1.1 (seed 000: 2569–2574)',
    run: () => {
      const layer = new BatchNorm(1);
      const output = tensorData(layer.forward(fromArray([[1], [3]])), 'BatchNorm.forward');
      return { output, runningMean: tensorData(layer.runningMean, 'BatchNorm.runningMean'), runningVar: tensorData(layer.runningVar, 'BatchNorm.runningVar') };
    },
  },
  {
    id: 'batch-norm-known-values-images',
    title: '[batch 2, C 1, 1×2] = 1, 3, 5, 7: one μ = 4 and σ² = 5 for the whole channel (seed 004: 3782)',
    run: () => {
      const layer = new BatchNorm(1);
      const output = tensorData(layer.forward(tensor([1, 3, 5, 7], [2, 1, 1, 2])), 'BatchNorm.forward');
      return { output, runningMean: tensorData(layer.runningMean, 'BatchNorm.runningMean'), runningVar: tensorData(layer.runningVar, 'BatchNorm.runningVar') };
    },
  },
  {
    id: 'batch-norm-known-values-eval',
    title: 'eval with running mean 2, variance 4, γ = 3, β = 1 maps 4 to 3·2/√(4 + ε) + 1 (seed 004: 3779)',
    run: () => {
      const layer = new BatchNorm(1);
      layer.runningMean.data[0] = 2;
      layer.runningVar.data[0] = 4;
      layer.gamma.assign(fromArray([3]));
      layer.beta.assign(fromArray([1]));
      layer.training = false;
      return tensorData(layer.forward(fromArray([[4], [2]])), 'BatchNorm.forward');
    },
  },
  {
    id: 'batch-norm-training-features',
    title: 'training on [batch, C]: output, ∂L/∂input, ∂L/∂γ, ∂L/∂β and the running statistics',
    weight: 2,
    run: () => forwardBackward(withParameters(4, 1), addScalar(scale(new Rng(2).normalTensor([6, 4]), 2), 1), new Rng(3).normalTensor([6, 4])),
  },
  {
    id: 'batch-norm-training-images',
    title: 'training on [batch, C, H, W] (one statistic per channel): output, gradients and running statistics',
    weight: 2,
    run: () => forwardBackward(withParameters(3, 3), addScalar(scale(new Rng(4).normalTensor([3, 3, 3, 2]), 2), -1), new Rng(5).normalTensor([3, 3, 3, 2])),
  },
  {
    id: 'batch-norm-eval-both-layouts',
    title: 'eval mode uses the running statistics as constants: output and gradients on [batch, C] and [batch, C, H, W]',
    weight: 2,
    run: () =>
      [
        { channels: 4, seed: 5, shape: [5, 4] },
        { channels: 2, seed: 7, shape: [2, 2, 3, 3] },
      ].map(({ channels, seed, shape }) => {
        const layer = withParameters(channels, seed);
        layer.training = false;
        return forwardBackward(layer, new Rng(seed + 1).normalTensor(shape), new Rng(seed + 2).normalTensor(shape));
      }),
  },
  {
    id: 'batch-norm-running-statistics-converge',
    title: 'after 200 training forwards of one batch (momentum 0.2) the running statistics are its mean and unbiased variance',
    run: () => {
      const layer = new BatchNorm(3, { momentum: 0.2 });
      const x = addScalar(scale(new Rng(8).normalTensor([10, 3, 2, 2]), 3), 5);
      for (let i = 0; i < 200; i++) layer.forward(x);
      return { runningMean: tensorData(layer.runningMean, 'BatchNorm.runningMean'), runningVar: tensorData(layer.runningVar, 'BatchNorm.runningVar') };
    },
  },
  {
    id: 'batch-norm-initial-state-and-buffers',
    title: 'γ = 1, β = 0, running mean 0 and variance 1 at the start; buffers() returns the running statistics after a forward',
    run: () => {
      const layer = new BatchNorm(2);
      const start = { gamma: tensorData(layer.gamma.value, 'BatchNorm.gamma'), beta: tensorData(layer.beta.value, 'BatchNorm.beta'), roles: layer.parameters().map((p) => `${p.name}:${p.role}`) };
      layer.forward(fromArray([[1, 2], [3, 6]]));
      const buffers = layer.buffers();
      return { start, buffers: Object.fromEntries(Object.keys(buffers).sort().map((name) => [name, tensorData(buffers[name], `BatchNorm.buffers().${name}`)])) };
    },
  },
  {
    id: 'batch-norm-errors',
    title: 'a wrong channel count and a gradient of another shape are refused with a ShapeError, one value per channel in training with a ValueError, backward first with a StateError',
    compare: { kind: 'exact' },
    run: () => {
      const layer = new BatchNorm(2);
      layer.backward(layer.forward(fromArray([[1, 2], [3, 5]])));
      return {
        wrongGradient: errorName(() => layer.backward(fromArray([[1, 2]]))),
        wrongChannels: errorName(() => new BatchNorm(3).forward(fromArray([[1, 2], [3, 4]]))),
        oneValuePerChannel: errorName(() => new BatchNorm(3).forward(fromArray([[1, 2, 3]]))),
        backwardBeforeForward: errorName(() => new BatchNorm(3).backward(fromArray([[1, 2, 3]]))),
      };
    },
  },
]);
