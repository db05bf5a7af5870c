import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchNorm } from '#impl/layers/batch-norm.js';
import {
  addScalar,
  fromArray,
  loadDigits,
  Rng,
  saveWeights,
  scale,
  selectRows,
  ShapeError,
  StateError,
  tensor,
  trainTestSplit,
  ValueError,
  type Tensor,
} from '../../framework/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { assertProperty } from '../helpers/property.js';
import { Dense, Rectifier } from '../helpers/test-layers.js';
import { PlainSgd } from '../helpers/test-optimizers.js';
import { evalAccuracy, trainLayers } from '../helpers/test-training.js';

/** Per-channel mean and biased variance of [batch, C, …]. */
function channelStatistics(y: Tensor): { mean: number[]; variance: number[] } {
  const [batch, channels] = y.shape;
  const spatial = y.size / (batch * channels);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < channels; c++) {
    const values: number[] = [];
    for (let b = 0; b < batch; b++) for (let s = 0; s < spatial; s++) values.push(y.data[(b * channels + c) * spatial + s]);
    const m = values.reduce((a, v) => a + v, 0) / values.length;
    mean.push(m);
    variance.push(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  }
  return { mean, variance };
}

/** A random [batch, C, …spatial] input whose channels have spread (scale) and offset, from a seed. */
const spreadInput = fc
  .record({
    batch: fc.integer({ min: 2, max: 6 }),
    channels: fc.integer({ min: 1, max: 4 }),
    spatial: fc.constantFrom([] as number[], [2, 3], [3, 3], [1, 2]),
    seed: fc.integer(),
    spread: fc.double({ min: 0.5, max: 20, noNaN: true }),
    offset: fc.double({ min: -50, max: 50, noNaN: true }),
  })
  .map(({ batch, channels, spatial, seed, spread, offset }) => addScalar(scale(new Rng(seed).normalTensor([batch, channels, ...spatial]), spread), offset))
  .filter((x) => channelStatistics(x).variance.every((v) => v > 1e-2));

describe('ex3 BatchNorm', () => {
  describe('properties', () => {
    it('in training each channel of the output has mean ≈ 0 and variance ≈ 1 ([batch, C] and [batch, C, H, W])', () => {
      assertProperty(
        fc.property(spreadInput, (x) => {
          const { mean, variance } = channelStatistics(new BatchNorm(x.shape[1]).forward(x));
          mean.forEach((m, c) => expect(Math.abs(m), `BatchNorm training output on ${JSON.stringify(x.shape)}: channel ${c} has mean ${m}, expected 0`).toBeLessThan(1e-9));
          variance.forEach((v, c) => expect(Math.abs(v - 1), `BatchNorm training output on ${JSON.stringify(x.shape)}: channel ${c} has variance ${v}, expected ≈ 1 (use the biased variance, 1/m)`).toBeLessThan(2e-3));
        }),
        40,
      );
    });

    it('with γ and β the output channels have mean β and standard deviation |γ|', () => {
      assertProperty(
        fc.property(spreadInput, fc.integer(), (x, seed) => {
          const layer = new BatchNorm(x.shape[1]);
          const rng = new Rng(seed);
          layer.gamma.assign(rng.uniformTensor([x.shape[1]], 0.5, 3));
          layer.beta.assign(rng.uniformTensor([x.shape[1]], -2, 2));
          const { mean, variance } = channelStatistics(layer.forward(x));
          mean.forEach((m, c) => expect(m, `BatchNorm: channel ${c} mean must be β`).toBeCloseTo(layer.beta.value.data[c], 8));
          variance.forEach((v, c) => expect(Math.sqrt(v) / layer.gamma.value.data[c], `BatchNorm: channel ${c} std must be γ`).toBeCloseTo(1, 2));
        }),
        30,
      );
    });

    it('in training the output does not change when a constant is added to the input', () => {
      assertProperty(
        fc.property(spreadInput, fc.double({ min: -100, max: 100, noNaN: true }), (x, shift) => {
          expectClose(new BatchNorm(x.shape[1]).forward(addScalar(x, shift)), new BatchNorm(x.shape[1]).forward(x), 1e-7, 'BatchNorm training output of x + constant');
        }),
        30,
      );
    });

    it('in eval mode it uses the running statistics only: each example is normalised on its own, and nothing is updated', () => {
      assertProperty(
        fc.property(spreadInput, fc.integer(), (x, seed) => {
          const channels = x.shape[1];
          const layer = new BatchNorm(channels);
          const rng = new Rng(seed);
          layer.runningMean.data.set(rng.uniformTensor([channels], -3, 3).data);
          layer.runningVar.data.set(rng.uniformTensor([channels], 0.5, 4).data);
          layer.gamma.assign(rng.uniformTensor([channels], 0.5, 2));
          layer.beta.assign(rng.uniformTensor([channels], -1, 1));
          const before = [Array.from(layer.runningMean.data), Array.from(layer.runningVar.data)];
          layer.training = false;
          const whole = layer.forward(x);
          const spatial = x.size / (x.shape[0] * channels);
          whole.data.forEach((v, i) => {
            const c = Math.floor(i / spatial) % channels;
            const expected = (layer.gamma.value.data[c] * (x.data[i] - layer.runningMean.data[c])) / Math.sqrt(layer.runningVar.data[c] + layer.eps) + layer.beta.value.data[c];
            expect(v, `BatchNorm eval output ${i}: γ·(x − running_mean)/√(running_var + ε) + β`).toBeCloseTo(expected, 9);
          });
          const alone = layer.forward(selectRows(x, [0]));
          expectClose(alone, selectRows(whole, [0]), 1e-12, 'BatchNorm eval output of the first example alone vs inside the batch');
          expect([Array.from(layer.runningMean.data), Array.from(layer.runningVar.data)], 'BatchNorm eval forward must not change the running statistics').toEqual(before);
        }),
        30,
      );
    });

    it('the running statistics converge to the statistics of a repeated batch', () => {
      const x = addScalar(scale(new Rng(8).normalTensor([10, 3, 2, 2]), 3), 5);
      const layer = new BatchNorm(3, { momentum: 0.2 });
      for (let i = 0; i < 200; i++) layer.forward(x);
      const { mean, variance } = channelStatistics(x);
      const m = 40;
      expectClose(layer.runningMean, mean, 1e-9, 'BatchNorm running mean after 200 forwards of one batch');
      expectClose(layer.runningVar, variance.map((v) => (v * m) / (m - 1)), 1e-9, 'BatchNorm running variance (unbiased) after 200 forwards of one batch');
    });

    it('starts with γ = 1, β = 0, running mean 0 and variance 1, and exposes the running statistics as buffers for saveWeights', () => {
      const layer = new BatchNorm(2);
      expectClose(layer.gamma.value, [1, 1], 0, 'BatchNorm gamma at start');
      expectClose(layer.beta.value, [0, 0], 0, 'BatchNorm beta at start');
      expectClose(layer.runningMean, [0, 0], 0, 'BatchNorm running mean at start');
      expectClose(layer.runningVar, [1, 1], 0, 'BatchNorm running variance at start');
      layer.forward(fromArray([[1, 2], [3, 6]]));
      const saved = saveWeights([layer]).layers[0];
      expect(Object.keys(saved.parameters), 'BatchNorm.parameters(): gamma and beta').toEqual(['gamma', 'beta']);
      expect(saved.buffers.runningMean?.data, 'BatchNorm.buffers().runningMean').toEqual(Array.from(layer.runningMean.data));
      expect(saved.buffers.runningVar?.data, 'BatchNorm.buffers().runningVar').toEqual(Array.from(layer.runningVar.data));
      expect(layer.gamma.role, "gamma has role 'scale' (never regularized)").toBe('scale');
      expect(layer.beta.role, "beta has role 'shift'").toBe('shift');
    });

    it('explains a wrong channel count, a single value per channel in training, and a backward before forward', () => {
      const layer = new BatchNorm(2);
      layer.backward(layer.forward(fromArray([[1, 2], [3, 5]])));
      expect(() => layer.backward(fromArray([[1, 2]])), 'BatchNorm.backward with a gradient of another shape').toThrow(ShapeError);
      expect(() => new BatchNorm(3).forward(fromArray([[1, 2], [3, 4]]))).toThrow(ShapeError);
      expect(() => new BatchNorm(3).forward(fromArray([[1, 2, 3]]))).toThrow(ValueError);
      expect(() => new BatchNorm(3).backward(fromArray([[1, 2, 3]]))).toThrow(StateError);
    });
  });

  describe('gradients', () => {
    const withParameters = (channels: number, seed: number): BatchNorm => {
      const layer = new BatchNorm(channels);
      const rng = new Rng(seed);
      layer.gamma.assign(rng.uniformTensor([channels], 0.5, 2));
      layer.beta.assign(rng.uniformTensor([channels], -1, 1));
      layer.runningMean.data.set(rng.uniformTensor([channels], -1, 1).data);
      layer.runningVar.data.set(rng.uniformTensor([channels], 0.5, 2).data);
      return layer;
    };

    it('input, gamma and beta match centred differences on [batch, C] in training', () => {
      expectGradientsMatch(withParameters(4, 1), addScalar(scale(new Rng(2).normalTensor([6, 4]), 2), 1), 1e-6);
    });

    it('input, gamma and beta match centred differences on [batch, C, H, W] in training', () => {
      expectGradientsMatch(withParameters(3, 3), addScalar(scale(new Rng(4).normalTensor([3, 3, 3, 2]), 2), -1), 1e-6);
    });

    it('input, gamma and beta match centred differences on [batch, C] in eval mode', () => {
      const layer = withParameters(4, 5);
      layer.training = false;
      expectGradientsMatch(layer, new Rng(6).normalTensor([5, 4]), 1e-6);
    });

    it('input, gamma and beta match centred differences on [batch, C, H, W] in eval mode', () => {
      const layer = withParameters(2, 7);
      layer.training = false;
      expectGradientsMatch(layer, new Rng(8).normalTensor([2, 2, 3, 3]), 1e-6);
    });
  });

  describe('known values', () => {
    it('[[1], [3]]: μ = 2, σ² = 1 → ±1/√(1 + ε); running mean 0.2, running variance 0.9 + 0.1·2 (seed 000: 2569–2574)', () => {
      const layer = new BatchNorm(1);
      expect([layer.momentum, layer.eps], 'BatchNorm defaults: momentum 0.1 and eps 1e-5').toEqual([0.1, 1e-5]);
      const y = layer.forward(fromArray([[1], [3]]));
      expectClose(y, [[-1 / Math.sqrt(1 + 1e-5)], [1 / Math.sqrt(1 + 1e-5)]], 1e-12, 'BatchNorm training output');
      expectClose(layer.runningMean, [0.2], 1e-12, 'BatchNorm running mean (1 − 0.1)·0 + 0.1·2');
      expectClose(layer.runningVar, [1.1], 1e-12, 'BatchNorm running variance (1 − 0.1)·1 + 0.1·2 (the unbiased variance of 1 and 3 is 2)');
    });

    it('[batch 2, C 1, 1×2] = 1, 3, 5, 7: one μ = 4 and σ² = 5 for the whole channel (seed 004: 3782)', () => {
      const layer = new BatchNorm(1);
      const y = layer.forward(tensor([1, 3, 5, 7], [2, 1, 1, 2]));
      const s = Math.sqrt(5 + 1e-5);
      expectClose(y, tensor([-3 / s, -1 / s, 1 / s, 3 / s], [2, 1, 1, 2]), 1e-12, 'BatchNorm training output, conv layout');
      expectClose(layer.runningMean, [0.4], 1e-12, 'BatchNorm running mean 0.1·4');
      expectClose(layer.runningVar, [0.9 + 0.1 * (20 / 3)], 1e-12, 'BatchNorm running variance 0.9 + 0.1·(20/3)');
    });

    it('eval with running mean 2, variance 4, γ = 3, β = 1 maps 4 to 3·2/√(4 + ε) + 1 (seed 004: 3779)', () => {
      const layer = new BatchNorm(1);
      layer.runningMean.data[0] = 2;
      layer.runningVar.data[0] = 4;
      layer.gamma.assign(fromArray([3]));
      layer.beta.assign(fromArray([1]));
      layer.training = false;
      expectClose(layer.forward(fromArray([[4], [2]])), [[(3 * 2) / Math.sqrt(4 + 1e-5) + 1], [1]], 1e-12, 'BatchNorm eval output');
    });
  });

  describe('training', () => {
    it('an MLP with BatchNorm learns badly scaled Digits (x·40 + 10) and predicts well from its running statistics', () => {
      const { train, test } = trainTestSplit(loadDigits(), { testFraction: 0.3, rng: new Rng(1) });
      const distort = (x: Tensor): Tensor => addScalar(scale(x, 40), 10);
      const rng = new Rng(2);
      const layers = [new Dense(64, 32, rng), new BatchNorm(32), new Rectifier(), new Dense(32, 10, rng)];
      trainLayers(layers, { x: distort(train.x), y: train.y }, { optimizer: new PlainSgd({ lr: 0.05 }), iterations: 300, batchSize: 32, seed: 3 });
      const testAccuracy = evalAccuracy(layers, { x: distort(test.x), y: test.y });
      expect(testAccuracy, `BatchNorm MLP: test accuracy in eval mode (running statistics) is ${testAccuracy.toFixed(3)}, expected ≥ 0.9`).toBeGreaterThanOrEqual(0.9);
    });
  });
});
