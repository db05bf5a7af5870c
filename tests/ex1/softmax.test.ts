import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, NonFiniteError, Rng, StateError, tensor, ShapeError, loadIris, trainTestSplit, standardizer, accuracy } from '../../framework/index.js';
import { SoftMax } from '#impl/activations/softmax.js';
import { assertProperty, matrix } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { LinearDouble, ProbabilityCrossEntropyDouble, sgdStepDouble, trainDouble, forwardAll } from '../helpers/doubles.js';

describe('ex1 SoftMax', () => {
  describe('properties', () => {
    it('every row is a probability distribution: entries in [0, 1], summing to 1', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), 50), (rows) => {
          const y = new SoftMax().forward(fromArray(rows));
          const classes = rows[0].length;
          for (let r = 0; r < rows.length; r++) {
            let total = 0;
            for (let k = 0; k < classes; k++) {
              const p = y.data[r * classes + k];
              expect(p >= 0 && p <= 1, `SoftMax output ${p} at row ${r} is not a probability`).toBe(true);
              total += p;
            }
            expect(Math.abs(total - 1), `row ${r} of SoftMax sums to ${total}, not 1`).toBeLessThan(1e-12);
          }
        }),
      );
    });

    it('is invariant to adding a constant to a row (and so stable for large inputs)', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 })), fc.double({ min: -800, max: 800, noNaN: true }), (rows, shift) => {
          const softmax = new SoftMax();
          const base = softmax.forward(fromArray(rows));
          const shifted = softmax.forward(fromArray(rows.map((row) => row.map((v) => v + shift))));
          expectClose(shifted, base, 1e-9, `SoftMax(x + ${shift}) must equal SoftMax(x); subtract each row's maximum before exp`);
        }),
      );
    });
  });

  describe('gradients', () => {
    for (const [batch, classes] of [[1, 2], [3, 4], [5, 10]]) {
      it(`input gradient matches centred differences for [${batch}, ${classes}]`, () => {
        const rng = new Rng(batch * 31 + classes);
        expectGradientsMatch(new SoftMax(), rng.normalTensor([batch, classes], 0, 2), 1e-5);
      });
    }
  });

  describe('known values', () => {
    it('reproduces the softmax table of seed 004: 1428–1436 (4 decimals)', () => {
      // The slide says "three-class problem" but lists four classes (catalogue §6).
      const y = new SoftMax().forward(fromArray([[-3.44, 1.16, -0.81, 3.91]]));
      expectClose(y, [[0.000599, 0.059552, 0.008305, 0.931545]], 1e-5, 'seed 004: 1433–1436');
      expect(Array.from(y.data).map((v) => v.toFixed(4))).toEqual(['0.0006', '0.0596', '0.0083', '0.9315']);
    });

    it('reproduces the softmax of f_in = (3, −1, 1) of seed 000: 876 and τ((1, 1000, 2)) ≈ (0, 1, 0) of 000: 610', () => {
      expectClose(new SoftMax().forward(fromArray([[3, -1, 1]])), [[0.866813, 0.015876, 0.11731]], 1e-5, 'seed 000: 876');
      expectClose(new SoftMax().forward(fromArray([[1, 1000, 2]])), [[0, 1, 0]], 1e-12, 'seed 000: 610 (needs the max shift)');
    });

    it('reproduces the sigmoid → softmax output of seed 000: 614–643 (derived: (0.083054, 0.897160, 0.019786))', () => {
      expectClose(new SoftMax().forward(fromArray([[0.571802, 2.951549, -0.86271]])), [[0.083054, 0.89716, 0.019786]], 1e-5, 'seed 000: 614–643');
    });
  });

  describe('bad input', () => {
    it('rejects backward before forward, non-finite input, and an empty class axis', () => {
      // A valid call first: on the stub this test fails with NotImplementedError instead of scoring for given code.
      expect(new SoftMax().forward(tensor([0, 0], [1, 2])).toArray()).toEqual([[0.5, 0.5]]);
      expect(() => new SoftMax().backward(tensor([1], [1, 1]))).toThrow(StateError);
      expect(() => new SoftMax().forward(tensor([1, Infinity], [1, 2]))).toThrow(NonFiniteError);
      expect(() => new SoftMax().forward(tensor([], [2, 0]))).toThrow(ShapeError);
    });
  });

  describe('training', () => {
    it('a linear layer followed by your SoftMax learns Iris with cross-entropy on probabilities (test accuracy ≥ 0.9)', () => {
      const rng = new Rng(4);
      const { train, test } = trainTestSplit(loadIris(), { rng });
      const normalize = standardizer(train.x);
      const layers = [new LinearDouble(4, 3, rng), new SoftMax()];
      const losses = trainDouble(layers, new ProbabilityCrossEntropyDouble(), (p) => sgdStepDouble(p, 0.5), normalize(train.x), train.y, 200);
      expect(losses.at(-1)!, 'loss must fall: check SoftMax.backward').toBeLessThan(losses[0] * 0.5);
      expect(accuracy(forwardAll(layers, normalize(test.x)), test.y)).toBeGreaterThanOrEqual(0.9);
    });
  });
});
