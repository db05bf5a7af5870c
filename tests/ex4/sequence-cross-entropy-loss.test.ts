import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lossGradientCheck, oneHotSequences, Rng, ShapeError, tensor, zeros } from '../../framework/index.js';
import { SequenceCrossEntropyLoss } from '#impl/losses/sequence-cross-entropy-loss.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty } from '../helpers/property.js';

const randomLabels = (rng: Rng, batch: number, time: number, classes: number): number[][] =>
  Array.from({ length: batch }, () => Array.from({ length: time }, () => rng.int(classes)));

describe('ex4 SequenceCrossEntropyLoss', () => {
  describe('properties', () => {
    it('uniform logits score ln K per step with mean reduction, whatever batch and time', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 7 }), fc.integer({ min: 0, max: 99 }), (batch, time, classes, seed) => {
          const loss = new SequenceCrossEntropyLoss();
          const value = loss.forward(zeros([batch, time, classes]), oneHotSequences(randomLabels(new Rng(seed), batch, time, classes), classes));
          expect(Math.abs(value - Math.log(classes)), `mean over batch·time of −ln(1/${classes}) must be ln ${classes}, got ${value}`).toBeLessThan(1e-12);
        }),
        30,
      );
    });

    it('is invariant to adding a constant to the logits of one step, and sum = batch·time · mean', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 999 }), fc.double({ min: -50, max: 50, noNaN: true }), (seed, shift) => {
          const rng = new Rng(seed);
          const logits = rng.normalTensor([2, 3, 4], 0, 3);
          const target = oneHotSequences(randomLabels(rng, 2, 3, 4), 4);
          const mean = new SequenceCrossEntropyLoss().forward(logits, target);
          const shifted = logits.clone();
          for (let k = 0; k < 4; k++) shifted.data[4 + k] += shift;
          expect(Math.abs(new SequenceCrossEntropyLoss().forward(shifted, target) - mean)).toBeLessThan(1e-9);
          expect(Math.abs(new SequenceCrossEntropyLoss({ reduction: 'sum' }).forward(logits, target) - 6 * mean)).toBeLessThan(1e-9);
        }),
        30,
      );
    });

    it('is numerically stable for large logits and rejects non-sequence shapes', () => {
      const loss = new SequenceCrossEntropyLoss();
      expect(loss.forward(tensor([1000, 0], [1, 1, 2]), tensor([1, 0], [1, 1, 2]))).toBeCloseTo(0, 12);
      expect(() => loss.forward(zeros([2, 3]), zeros([2, 3]))).toThrow(ShapeError);
      expect(() => loss.forward(zeros([2, 3, 4]), zeros([2, 2, 4]))).toThrow(ShapeError);
    });
  });

  describe('gradients', () => {
    for (const reduction of ['mean', 'sum'] as const) {
      it(`backward matches centred differences (${reduction})`, () => {
        const rng = new Rng(11);
        const comparison = lossGradientCheck(new SequenceCrossEntropyLoss({ reduction }), rng.normalTensor([3, 4, 5]), oneHotSequences(randomLabels(rng, 3, 4, 5), 5));
        expect(comparison.maxRelativeError, `SequenceCrossEntropyLoss.backward: relative error ${comparison.maxRelativeError} at [${comparison.worstIndex.join(', ')}]; the gradient is (ŷ − y) divided by batch·time for 'mean'`).toBeLessThan(1e-6);
      });
    }
  });

  describe('known values', () => {
    it('the seed\'s sequence loss Σ_t L(ŷ_t, y_t) (004: 6031) on two steps worked by hand', () => {
      // Step 1: logits (0, ln 3), target class 1: ŷ = (1/4, 3/4), loss −ln(3/4) = 0.287682072.
      // Step 2: logits (ln 2, 0), target class 1: ŷ = (2/3, 1/3), loss ln 3 = 1.098612289.
      const loss = new SequenceCrossEntropyLoss({ reduction: 'sum' });
      const value = loss.forward(tensor([0, Math.log(3), Math.log(2), 0], [1, 2, 2]), tensor([0, 1, 0, 1], [1, 2, 2]));
      expect(value).toBeCloseTo(-Math.log(0.75) + Math.log(3), 12);
      expectClose(loss.backward().reshape([2, 2]), [[0.25, -0.25], [2 / 3, -2 / 3]], 1e-12, 'gradient ŷ − y per step');
    });
  });

  describe('training', () => {
    it('drives per-step logits to the targets by gradient descent on the loss alone', () => {
      const rng = new Rng(2);
      const target = oneHotSequences(randomLabels(rng, 4, 5, 3), 3);
      let logits = zeros([4, 5, 3]);
      const loss = new SequenceCrossEntropyLoss();
      const first = loss.forward(logits, target);
      for (let step = 0; step < 100; step++) {
        loss.forward(logits, target);
        const grad = loss.backward();
        logits = tensor(logits.data.map((z, i) => z - 20 * grad.data[i]), logits.shape);
      }
      const last = loss.forward(logits, target);
      expect(last, `loss went from ${first} to ${last}; it should fall below 0.05`).toBeLessThan(0.05);
    });
  });
});
