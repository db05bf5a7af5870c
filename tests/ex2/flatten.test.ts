import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Flatten } from '#impl/layers/flatten.js';
import { fromArray, Rng, ShapeError, zeros } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { AdamDouble, digitsCnn, trainOnDigits } from '../helpers/cnn-doubles.js';

describe('ex2 Flatten', () => {
  describe('properties', () => {
    it('round-trips: backward(forward(x)) has x’s shape and elements, forward gives [batch, ∏ rest]', () => {
      assertProperty(
        fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1e6 }), (rest, batch, seed) => {
          const x = new Rng(seed).normalTensor([batch, ...rest]);
          const flatten = new Flatten();
          const y = flatten.forward(x);
          const features = rest.reduce((a, b) => a * b, 1);
          expect(y.shape, `Flatten of [${batch}, ${rest.join(', ')}]`).toEqual([batch, features]);
          const back = flatten.backward(y);
          expect(back.shape, 'Flatten.backward restores the input shape').toEqual(x.shape);
          expect(Array.from(back.data), 'Flatten.backward keeps every element in place').toEqual(Array.from(x.data));
        }),
      );
    });
  });

  describe('gradients', () => {
    it('match centred differences', () => {
      expectGradientsMatch(new Flatten(), new Rng(5).normalTensor([3, 2, 3, 4]), 1e-8);
    });
  });

  describe('known values', () => {
    it('orders features channel-major, row-major within a channel: index (c·H + h)·W + w (as PyTorch)', () => {
      const x = fromArray([[[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[[9, 10], [11, 12]], [[13, 14], [15, 16]]]]);
      expectClose(new Flatten().forward(x), [[1, 2, 3, 4, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15, 16]], 0, 'Flatten of [2, 2, 2, 2]');
    });
  });

  describe('errors', () => {
    it('explains bad input', () => {
      expect(() => new Flatten().forward(zeros([5]))).toThrow(ShapeError);
      const flatten = new Flatten();
      expect(() => flatten.backward(zeros([1, 4]))).toThrow(/before forward/);
      flatten.forward(zeros([2, 3, 4]));
      expect(() => flatten.backward(zeros([2, 11]))).toThrow(/expected gradOutput \[2, 12\], got \[2, 11\]/);
    });
  });

  describe('training', () => {
    it('Flatten in the Digits CNN (test-local other layers and Adam) reaches ≥ 0.90 test accuracy', () => {
      const accuracy = trainOnDigits(digitsCnn({ flatten: new Flatten() }, new Rng(3)), new AdamDouble(0.01), { iterations: 200, batchSize: 32, seed: 5 });
      expect(accuracy, 'Digits CNN test accuracy with your Flatten').toBeGreaterThanOrEqual(0.9);
    });
  });
});
