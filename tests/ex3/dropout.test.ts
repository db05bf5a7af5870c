import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dropout } from '#impl/layers/dropout.js';
import { fromArray, full, ones, Rng, ShapeError, StateError, ValueError, type Tensor } from '../../framework/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { assertProperty, finite, matrix } from '../helpers/property.js';
import { describeOverfit, overfitGap } from '../helpers/overfitting.js';

const rates = fc.double({ min: 0, max: 0.9, noNaN: true });
const nonZeroMatrix = matrix(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })).map((rows) => rows.map((row) => row.map((v) => (Math.abs(v) < 1e-3 ? 1 : v))));

describe('ex3 Dropout', () => {
  describe('properties', () => {
    it('in eval mode (after training forwards) forward and backward are the identity', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 })), rates, fc.integer(), (rows, rate, seed) => {
          const layer = new Dropout(rate, { rng: new Rng(seed) });
          const x = fromArray(rows);
          layer.backward(layer.forward(x));
          layer.training = false;
          expectClose(layer.forward(x), x, 0, `Dropout(${rate}).forward in eval mode`);
          expectClose(layer.backward(x), x, 0, `Dropout(${rate}).backward in eval mode`);
        }),
      );
    });

    it('in training every output is either 0 (dropped) or x/(1 − rate) (kept and rescaled)', () => {
      assertProperty(
        fc.property(nonZeroMatrix, rates, fc.integer(), (rows, rate, seed) => {
          const x = fromArray(rows);
          const y = new Dropout(rate, { rng: new Rng(seed) }).forward(x);
          expect(y.shape, 'Dropout.forward must keep the shape').toEqual(x.shape);
          y.data.forEach((v, i) => {
            const kept = x.data[i] / (1 - rate);
            expect(v === 0 || Math.abs(v - kept) <= 1e-12 * (1 + Math.abs(kept)), `Dropout(${rate}) output ${i} is ${v}; expected 0 or x/(1 − rate) = ${kept}`).toBe(true);
          });
        }),
      );
    });

    it('backward uses the same mask as forward: ∂L/∂x = ∂L/∂y ⊙ mask', () => {
      assertProperty(
        fc.property(nonZeroMatrix, rates, fc.integer(), (rows, rate, seed) => {
          const x = fromArray(rows);
          const layer = new Dropout(rate, { rng: new Rng(seed) });
          const y = layer.forward(x);
          const gradOutput = new Rng(seed ^ 0x5bd1).normalTensor(x.shape);
          const gradInput = layer.backward(gradOutput);
          gradInput.data.forEach((v, i) => {
            const forwardMask = y.data[i] / x.data[i];
            expect(v, `Dropout(${rate}).backward at ${i}: forward scaled this unit by ${forwardMask}, so backward must give ${gradOutput.data[i] * forwardMask}`).toBeCloseTo(gradOutput.data[i] * forwardMask, 10);
          });
        }),
      );
    });

    it('the mean of the outputs over many masks approaches the input (E[mask] = 1)', () => {
      assertProperty(
        fc.property(fc.array(finite(5), { minLength: 1, maxLength: 8 }), fc.double({ min: 0.1, max: 0.7, noNaN: true }), fc.integer(), (values, rate, seed) => {
          const x = fromArray(values);
          const layer = new Dropout(rate, { rng: new Rng(seed) });
          const masks = 3000;
          const total = new Float64Array(values.length);
          for (let m = 0; m < masks; m++) layer.forward(x).data.forEach((v, i) => (total[i] += v));
          values.forEach((v, i) => {
            // Five standard errors of the mean of |x|·mask, var(mask) = rate/(1 − rate).
            const tolerance = 5 * Math.abs(v) * Math.sqrt(rate / (1 - rate) / masks) + 1e-12;
            expect(Math.abs(total[i] / masks - v), `Dropout(${rate}): the mean output over ${masks} masks is ${total[i] / masks} for input ${v}; inverted dropout must scale kept units by 1/(1 − rate)`).toBeLessThanOrEqual(tolerance);
          });
        }),
        15,
      );
    });

    it('drops a fraction `rate` of the units (rate is the probability of dropping, not of keeping)', () => {
      for (const rate of [0.2, 0.5, 0.8]) {
        const y = new Dropout(rate, { rng: new Rng(7) }).forward(ones([100, 100]));
        const dropped = y.data.filter((v) => v === 0).length / y.size;
        expect(Math.abs(dropped - rate), `Dropout(${rate}) dropped ${(100 * dropped).toFixed(1)}% of 10000 units; rate is the probability of dropping`).toBeLessThan(0.03);
      }
    });

    it('draws a new mask on every training forward, from its Rng (same seed, same masks)', () => {
      const x = ones([4, 25]);
      const a = new Dropout(0.5, { rng: new Rng(9) });
      const b = new Dropout(0.5, { rng: new Rng(9) });
      const first = a.forward(x);
      expectClose(b.forward(x), first, 0, 'Dropout with the same seeded Rng');
      expect(a.forward(x).equals(first), 'Dropout.forward must draw a new mask each training forward').toBe(false);
    });

    it('rate 0 keeps everything, and freezeMask = true reuses the last mask', () => {
      const x = new Rng(2).normalTensor([3, 4]);
      expectClose(new Dropout(0, { rng: new Rng(1) }).forward(x), x, 0, 'Dropout(0).forward in training');
      const layer = new Dropout(0.5, { rng: new Rng(1) });
      layer.freezeMask = true;
      const first = layer.forward(x);
      expectClose(layer.forward(x), first, 0, 'Dropout.forward with freezeMask = true');
    });

    it('explains a bad rate and a backward before forward', () => {
      expect(() => new Dropout(1)).toThrow(ValueError);
      expect(() => new Dropout(-0.1)).toThrow(ValueError);
      expect(() => new Dropout(0.5).backward(ones([1, 1]))).toThrow(StateError);
      const layer = new Dropout(0.5, { rng: new Rng(1) });
      layer.forward(ones([2, 3]));
      expect(() => layer.backward(ones([3, 2])), 'Dropout.backward with a gradient of another shape').toThrow(ShapeError);
    });
  });

  describe('gradients', () => {
    it('input gradient matches centred differences with the mask held fixed (freezeMask)', () => {
      const layer = new Dropout(0.4, { rng: new Rng(5) });
      layer.freezeMask = true;
      expectGradientsMatch(layer, new Rng(6).normalTensor([4, 7]), 1e-7);
      expect(layer.mask?.data.some((v) => v === 0), 'the gradient check should have run with some units dropped').toBe(true);
    });

    it('input gradient matches centred differences in eval mode (after a training forward)', () => {
      const layer = new Dropout(0.4, { rng: new Rng(5) });
      layer.forward(new Rng(6).normalTensor([3, 5]));
      layer.training = false;
      expectGradientsMatch(layer, new Rng(6).normalTensor([3, 5]), 1e-7);
    });
  });

  describe('known values', () => {
    it('rate 0.5 (the seeds\' p = 0.5 for hidden units, 004: 4005; 000: 2276) doubles every kept unit', () => {
      const y = new Dropout(0.5, { rng: new Rng(3) }).forward(full([2, 50], 3));
      const values = new Set(Array.from(y.data));
      expect([...values].sort(), 'Dropout(0.5) on a tensor of 3s: outputs must be 0 or 6').toEqual([0, 6]);
    });

    it('rate 0.2 (the input-unit rate of 000: 2276) scales kept units by 1.25; ×(1 − rate) gives the seed\'s classic mask (004: 3894)', () => {
      const x: Tensor = fromArray([[1, -2, 4, 8, -16]]);
      const y = new Dropout(0.2, { rng: new Rng(4) }).forward(x);
      y.data.forEach((v, i) => expect([0, x.data[i]], `Dropout(0.2) output ${i} times 0.8`).toContainEqual(Math.round(v * 0.8 * 1e12) / 1e12));
    });
  });

  describe('training', () => {
    it('an overfitting MLP on noisy Digits labels has a smaller train–test gap with Dropout(0.5) than without (seeded)', () => {
      const plain = overfitGap();
      const dropped = overfitGap({ extra: [new Dropout(0.5, { rng: new Rng(101) })] });
      expect(plain.gap, `the MLP without dropout should overfit (${describeOverfit(plain)}); if not, the test setup is broken`).toBeGreaterThan(0.1);
      expect(dropped.gap, `Dropout(0.5) should shrink the gap: without ${describeOverfit(plain)}; with ${describeOverfit(dropped)}`).toBeLessThan(plain.gap - 0.05);
      expect(dropped.testAccuracy, `Dropout(0.5) should not hurt test accuracy: without ${describeOverfit(plain)}; with ${describeOverfit(dropped)}`).toBeGreaterThan(plain.testAccuracy);
    });
  });
});
