import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Regularizer } from '#impl/regularizers/l2-regularizer.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import {
  compareWithNumeric,
  describeComparison,
  fromArray,
  neg,
  Parameter,
  Rng,
  scale,
  ValueError,
} from '../../framework/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty, matrix } from '../helpers/property.js';
import { ParameterHolder } from '../helpers/parameter-holder.js';
import { describeOverfit, overfitGap } from '../helpers/overfitting.js';
import { LogitsCrossEntropy } from '../helpers/test-training.js';
import { FlipOptimizer, PlainSgd } from '../helpers/test-optimizers.js';

describe('ex3 L2Regularizer', () => {
  describe('properties', () => {
    it('gradient(w) is α·w, element by element, with the shape of w', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), fc.double({ min: 0, max: 5, noNaN: true }), (rows, alpha) => {
          const w = fromArray(rows);
          const gradient = new L2Regularizer(alpha).gradient(w);
          expect(gradient.shape, 'L2Regularizer.gradient must keep the shape of the weights').toEqual(w.shape);
          w.data.forEach((v, i) => expect(gradient.data[i], `L2Regularizer.gradient at ${i} for w = ${v}: expected α·w`).toBeCloseTo(alpha * v, 9));
        }),
      );
    });

    it('norm(w) = α·Σw² is ≥ 0, even in w, zero at w = 0, and linear in α', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), fc.double({ min: 0, max: 5, noNaN: true }), (rows, alpha) => {
          const w = fromArray(rows);
          const norm = new L2Regularizer(alpha).norm(w);
          expect(norm, 'L2Regularizer.norm must be ≥ 0').toBeGreaterThanOrEqual(0);
          expect(new L2Regularizer(alpha).norm(neg(w)), 'L2Regularizer.norm(−w) must equal norm(w)').toBeCloseTo(norm, 9);
          expect(new L2Regularizer(2 * alpha).norm(w), 'L2Regularizer.norm must double when α doubles').toBeCloseTo(2 * norm, 9);
          expect(new L2Regularizer(alpha).norm(scale(w, 0)), 'L2Regularizer.norm(0) must be 0').toBe(0);
        }),
      );
    });

    it('α = 0 is no penalty, and a negative or non-finite α is rejected', () => {
      expect(new L2Regularizer(0).norm(fromArray([1, -2])), 'L2Regularizer(0).norm must be 0').toBe(0);
      expect(() => new L2Regularizer(-0.1)).toThrow(ValueError);
      expect(() => new L2Regularizer(Number.POSITIVE_INFINITY)).toThrow(ValueError);
    });
  });

  describe('gradients', () => {
    it('gradient(w) is half the centred-difference gradient of norm(w) (the kit\'s convention: α·w is ∂/∂w of (α/2)·Σw²)', () => {
      const w = new Rng(4).normalTensor([3, 4]);
      const regularizer = new L2Regularizer(0.3);
      const comparison = compareWithNumeric('weights', scale(regularizer.gradient(w), 2), w, () => regularizer.norm(w));
      expect(comparison.maxRelativeError, `L2Regularizer: 2·gradient(w) vs ∂norm/∂w: ${describeComparison(comparison)}`).toBeLessThan(1e-7);
    });
  });

  describe('known values', () => {
    it('α = 0.1 on [[1, −2], [0, 3]]: norm 1.4, gradient [[0.1, −0.2], [0, 0.3]]', () => {
      const regularizer = new L2Regularizer(0.1);
      const w = fromArray([[1, -2], [0, 3]]);
      expect(regularizer.norm(w), 'L2Regularizer.norm: 0.1·(1 + 4 + 0 + 9)').toBeCloseTo(1.4, 12);
      expectClose(regularizer.gradient(w), [[0.1, -0.2], [0, 0.3]], 1e-12, 'L2Regularizer.gradient');
    });

    it('one SGD step is weight decay, (1 − ηλ)·w − η·∂L/∂w (seed 004: 3659; 000: 1548)', () => {
      const parameter = new Parameter('weight', fromArray([[0.5, -1.5], [2, 0]]), 'weight');
      parameter.accumulate(fromArray([[1, 1], [-1, 2]]));
      new PlainSgd({ lr: 0.1, regularizer: new L2Regularizer(0.2) }).step([parameter]);
      // (1 − 0.02)·w − 0.1·g: 0.49 − 0.1 = 0.39;  −1.47 − 0.1 = −1.57;  1.96 + 0.1 = 2.06;  0 − 0.2 = −0.2
      expectClose(parameter.value, [[0.39, -1.57], [2.06, -0.2]], 1e-12, 'weights after one SGD step with L2Regularizer(0.2), lr 0.1');
    });

    it('the optimizer takes the penalty from the weights before the step, and only for role "weight"', () => {
      const values = { weight: fromArray([1, -2]), bias: fromArray([1, -2]), scale: fromArray([1, -2]), shift: fromArray([1, -2]) };
      const holder = new ParameterHolder(values);
      new FlipOptimizer(0.5, { regularizer: new L2Regularizer(0.2) }).step(holder.parameters());
      // −w − η·α·w_old = (−1 − 0.1, 2 + 0.2); a penalty taken after the step would give (−0.9, 1.8).
      expectClose(holder.held[0].value, [-1.1, 2.2], 1e-12, 'weight after a sign-flipping step with L2Regularizer(0.2), lr 0.5');
      for (const parameter of holder.held.slice(1)) expectClose(parameter.value, [-1, 2], 1e-12, `${parameter.role} (must not be regularized)`);
    });

    it("the network's regularizationLoss is α·Σw² over the weights only, and computeLoss adds it to the data loss", () => {
      const holder = new ParameterHolder({ weight: fromArray([[1, -2], [0.5, 0]]), bias: fromArray([10, -10]), scale: fromArray([3, 3]), shift: fromArray([-4, 4]) });
      const network = new NeuralNetwork({ optimizer: new PlainSgd({ lr: 0.1, regularizer: new L2Regularizer(0.5) }), loss: new LogitsCrossEntropy(), rng: new Rng(1) });
      network.append(holder);
      expect(network.regularizationLoss(), 'NeuralNetwork.regularizationLoss with L2Regularizer(0.5): 0.5·(1 + 4 + 0.25 + 0)').toBeCloseTo(2.625, 12);
      const logits = fromArray([[0, 0]]);
      const target = fromArray([[1, 0]]);
      expect(network.computeLoss(logits, target), 'NeuralNetwork.computeLoss = data loss (ln 2) + regularization loss').toBeCloseTo(Math.LN2 + 2.625, 12);
    });
  });

  describe('training', () => {
    it('an overfitting MLP on noisy Digits labels has a smaller train–test gap with L2 than without (seeded)', () => {
      const plain = overfitGap();
      const regularized = overfitGap({ regularizer: new L2Regularizer(0.01) });
      expect(plain.gap, `the unregularized MLP should overfit (${describeOverfit(plain)}); if not, the test setup is broken`).toBeGreaterThan(0.1);
      expect(regularized.gap, `L2Regularizer(0.01) should shrink the gap: without ${describeOverfit(plain)}; with ${describeOverfit(regularized)}`).toBeLessThan(plain.gap - 0.08);
      expect(regularized.testAccuracy, `L2Regularizer(0.01) should not hurt test accuracy: without ${describeOverfit(plain)}; with ${describeOverfit(regularized)}`).toBeGreaterThan(plain.testAccuracy);
    });
  });
});
