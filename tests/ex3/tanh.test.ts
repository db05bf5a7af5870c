import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TanH } from '#impl/activations/tanh.js';
import { fromArray, ones, Rng, scale, ShapeError, StateError, xor } from '../../framework/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { assertProperty, finite, matrix } from '../helpers/property.js';
import { Dense } from '../helpers/test-layers.js';
import { PlainSgd } from '../helpers/test-optimizers.js';
import { evalAccuracy, trainLayers } from '../helpers/test-training.js';

/** The logistic function written out here, so this test does not depend on the student's Sigmoid. */
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

describe('ex3 TanH', () => {
  describe('properties', () => {
    it('maps into ]−1, 1[ and is odd: tanh(−x) = −tanh(x)', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), 15), (rows) => {
          const x = fromArray(rows);
          const y = new TanH().forward(x);
          const mirrored = new TanH().forward(scale(x, -1));
          y.data.forEach((v, i) => {
            expect(v > -1 && v < 1, `TanH(${x.data[i]}) = ${v} must lie in ]−1, 1[`).toBe(true);
            expect(mirrored.data[i], `TanH(−x) must equal −TanH(x) at x = ${x.data[i]}`).toBeCloseTo(-v, 12);
          });
        }),
      );
    });

    it('is a shifted sigmoid: tanh(x) = 2σ(2x) − 1 (seed 004: 2746)', () => {
      assertProperty(
        fc.property(fc.array(finite(15), { minLength: 1, maxLength: 10 }), (values) => {
          const y = new TanH().forward(fromArray(values));
          values.forEach((v, i) => expect(y.data[i], `TanH(${v}) vs 2σ(2x) − 1`).toBeCloseTo(2 * logistic(2 * v) - 1, 12));
        }),
      );
    });

    it('stays finite far out: tanh(±1000) = ±1 with gradient 0', () => {
      const layer = new TanH();
      expectClose(layer.forward(fromArray([-1000, 1000])), [-1, 1], 0, 'TanH at ±1000');
      expectClose(layer.backward(ones([2])), [0, 0], 0, 'TanH gradient at ±1000');
    });

    it('keeps its output for backward and explains a backward before forward or a gradient of another shape', () => {
      expect(() => new TanH().backward(ones([1, 1]))).toThrow(StateError);
      const layer = new TanH();
      layer.forward(fromArray([[0.5, -1]]));
      expect(() => layer.backward(ones([2, 1])), 'TanH.backward with a gradient of another shape').toThrow(ShapeError);
    });
  });

  describe('gradients', () => {
    it('input gradient matches centred differences', () => {
      expectGradientsMatch(new TanH(), scale(new Rng(1).normalTensor([4, 5]), 2), 1e-7);
    });
  });

  describe('known values', () => {
    it('tanh(0.5) = 0.46211715726 and tanh(0) = 0 (seed 003: 142; catalogue §4.13)', () => {
      expectClose(new TanH().forward(fromArray([0.5, 0, -0.5])), [0.46211715726, 0, -0.46211715726], 1e-10, 'TanH');
    });

    it("tanh'(x) = 1 − tanh(x)²: 1 at 0, 1 − 0.46211715726² at 0.5 (seed 004: 2742; 003: 144)", () => {
      const layer = new TanH();
      layer.forward(fromArray([0, 0.5]));
      expectClose(layer.backward(fromArray([1, 2])), [1, 2 * (1 - 0.46211715726 ** 2)], 1e-10, 'TanH backward');
    });
  });

  describe('training', () => {
    it('a network with a TanH hidden layer learns XOR (seeded)', () => {
      const data = xor({ points: 200, rng: new Rng(1) });
      const rng = new Rng(2);
      const layers = [new Dense(2, 16, rng), new TanH(), new Dense(16, 2, rng)];
      trainLayers(layers, data, { optimizer: new PlainSgd({ lr: 0.5 }), iterations: 1000, batchSize: 20, seed: 3 });
      const accuracy = evalAccuracy(layers, xor({ points: 400, rng: new Rng(4) }));
      expect(accuracy, `TanH network on XOR: test accuracy ${accuracy.toFixed(3)}, expected ≥ 0.9`).toBeGreaterThanOrEqual(0.9);
    });
  });
});
