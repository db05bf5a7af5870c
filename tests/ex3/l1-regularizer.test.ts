import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L1Regularizer } from '#impl/regularizers/l1-regularizer.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import {
  compareWithNumeric,
  describeComparison,
  fromArray,
  matmul,
  neg,
  Parameter,
  Rng,
  scale,
  sub,
  sumAll,
  tensor,
  transpose,
  ValueError,
  type Tensor,
} from '../../framework/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty, matrix } from '../helpers/property.js';
import { ParameterHolder } from '../helpers/parameter-holder.js';
import { LogitsCrossEntropy } from '../helpers/test-training.js';
import { FlipOptimizer, PlainSgd } from '../helpers/test-optimizers.js';

const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);

describe('ex3 L1Regularizer', () => {
  describe('properties', () => {
    it('gradient(w) is α·sign(w), element by element, with the shape of w', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), fc.double({ min: 0, max: 5, noNaN: true }), (rows, alpha) => {
          const w = fromArray(rows);
          const gradient = new L1Regularizer(alpha).gradient(w);
          expect(gradient.shape, 'L1Regularizer.gradient must keep the shape of the weights').toEqual(w.shape);
          w.data.forEach((v, i) => expect(gradient.data[i], `L1Regularizer.gradient at ${i} for w = ${v}: expected α·sign(w)`).toBeCloseTo(alpha * sign(v), 12));
        }),
      );
    });

    it('norm(w) = α·Σ|w| is ≥ 0, even in w, and linear in α', () => {
      assertProperty(
        fc.property(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })), fc.double({ min: 0, max: 5, noNaN: true }), (rows, alpha) => {
          const w = fromArray(rows);
          const norm = new L1Regularizer(alpha).norm(w);
          expect(norm, 'L1Regularizer.norm must be ≥ 0').toBeGreaterThanOrEqual(0);
          expect(new L1Regularizer(alpha).norm(neg(w)), 'L1Regularizer.norm(−w) must equal norm(w)').toBeCloseTo(norm, 9);
          expect(new L1Regularizer(2 * alpha).norm(w), 'L1Regularizer.norm must double when α doubles').toBeCloseTo(2 * norm, 9);
        }),
      );
    });

    it('the gradient at w = 0 is 0 (the subgradient the kit chooses)', () => {
      expectClose(new L1Regularizer(0.5).gradient(fromArray([0, 0, 0])), [0, 0, 0], 0, 'L1Regularizer.gradient at 0');
    });

    it('α = 0 is no penalty, and a negative or non-finite α is rejected', () => {
      expect(new L1Regularizer(0).norm(fromArray([1, -2])), 'L1Regularizer(0).norm must be 0').toBe(0);
      expect(() => new L1Regularizer(-1)).toThrow(ValueError);
      expect(() => new L1Regularizer(Number.NaN)).toThrow(ValueError);
    });
  });

  describe('gradients', () => {
    it('gradient(w) matches centred differences of norm(w) (weights away from 0, where |w| is smooth)', () => {
      const rng = new Rng(3);
      const w = rng.uniformTensor([3, 4], 0.2, 2);
      for (let i = 0; i < w.size; i += 2) w.data[i] = -w.data[i];
      const regularizer = new L1Regularizer(0.3);
      const comparison = compareWithNumeric('weights', regularizer.gradient(w), w, () => regularizer.norm(w));
      expect(comparison.maxRelativeError, `L1Regularizer: ${describeComparison(comparison)}`).toBeLessThan(1e-7);
    });
  });

  describe('known values', () => {
    it('α = 0.1 on [[1, −2], [0, 3]]: norm 0.6, gradient [[0.1, −0.1], [0, 0.1]]', () => {
      const regularizer = new L1Regularizer(0.1);
      const w = fromArray([[1, -2], [0, 3]]);
      expect(regularizer.norm(w), 'L1Regularizer.norm: 0.1·(1 + 2 + 0 + 3)').toBeCloseTo(0.6, 12);
      expectClose(regularizer.gradient(w), [[0.1, -0.1], [0, 0.1]], 1e-12, 'L1Regularizer.gradient');
    });

    it('one SGD step is w − η·λ·sign(w) − η·∂L/∂w (seed 004: 3684, "Other shrinkage")', () => {
      const parameter = new Parameter('weight', fromArray([[0.5, -1.5], [2, 0]]), 'weight');
      parameter.accumulate(fromArray([[1, 1], [-1, 2]]));
      new PlainSgd({ lr: 0.1, regularizer: new L1Regularizer(0.2) }).step([parameter]);
      // 0.5 − 0.1·0.2·1 − 0.1·1 = 0.38;  −1.5 + 0.02 − 0.1 = −1.58;  2 − 0.02 + 0.1 = 2.08;  0 − 0 − 0.2 = −0.2
      expectClose(parameter.value, [[0.38, -1.58], [2.08, -0.2]], 1e-12, 'weights after one SGD step with L1Regularizer(0.2), lr 0.1');
    });

    it('the optimizer takes the penalty from the weights before the step, and only for role "weight"', () => {
      const values = { weight: fromArray([1, -2]), bias: fromArray([1, -2]), scale: fromArray([1, -2]), shift: fromArray([1, -2]) };
      const holder = new ParameterHolder(values);
      new FlipOptimizer(0.5, { regularizer: new L1Regularizer(0.2) }).step(holder.parameters());
      // −w − η·α·sign(w_old) = (−1 − 0.1, 2 + 0.1); a penalty taken after the step would give (−0.9, 1.9).
      expectClose(holder.held[0].value, [-1.1, 2.1], 1e-12, 'weight after a sign-flipping step with L1Regularizer(0.2), lr 0.5');
      for (const parameter of holder.held.slice(1)) expectClose(parameter.value, [-1, 2], 1e-12, `${parameter.role} (must not be regularized)`);
    });

    it("the network's regularizationLoss is α·Σ|w| over the weights only (not biases, scales or shifts)", () => {
      const holder = new ParameterHolder({ weight: fromArray([[1, -2], [0.5, 0]]), bias: fromArray([10, -10]), scale: fromArray([3, 3]), shift: fromArray([-4, 4]) });
      const second = new ParameterHolder({ weight: fromArray([-1]), bias: fromArray([7]), scale: fromArray([7]), shift: fromArray([7]) });
      const network = new NeuralNetwork({ optimizer: new PlainSgd({ lr: 0.1, regularizer: new L1Regularizer(0.5) }), loss: new LogitsCrossEntropy(), rng: new Rng(1) });
      network.append(holder);
      network.append(second);
      expect(network.regularizationLoss(), 'NeuralNetwork.regularizationLoss with L1Regularizer(0.5): 0.5·(1 + 2 + 0.5 + 0 + 1)').toBeCloseTo(2.25, 12);
    });
  });

  describe('training', () => {
    it('L1 drives the weights of irrelevant features to (almost) zero in a seeded regression', () => {
      // y = 3·x0 − 2·x1 + noise; features 2…9 are irrelevant. Gradient descent on ½·mean squared error.
      const rng = new Rng(11);
      const samples = 30;
      const x = rng.normalTensor([samples, 10]);
      const truth = tensor([3, -2, 0, 0, 0, 0, 0, 0, 0, 0], [10, 1]);
      const y = matmul(x, truth);
      for (let i = 0; i < samples; i++) y.data[i] += 0.5 * rng.normal();
      const fit = (alpha: number): Tensor => {
        const weight = new Parameter('weight', new Rng(5).normalTensor([10, 1]), 'weight');
        const optimizer = new PlainSgd({ lr: 0.05, regularizer: alpha > 0 ? new L1Regularizer(alpha) : undefined });
        for (let step = 0; step < 600; step++) {
          optimizer.zeroGrad([weight]);
          weight.accumulate(scale(matmul(transpose(x), sub(matmul(x, weight.value), y)), 1 / samples));
          optimizer.step([weight]);
        }
        return weight.value;
      };
      const irrelevant = (w: Tensor): number => sumAll(tensor(Array.from(w.data.slice(2)).map(Math.abs), [8])) / 8;
      const plain = fit(0);
      const sparse = fit(0.2);
      expect(irrelevant(sparse), `L1Regularizer: mean |w| of the irrelevant features is ${irrelevant(sparse)} with L1 and ${irrelevant(plain)} without; L1 should push them towards 0`).toBeLessThan(0.25 * irrelevant(plain));
      expect(Math.abs(sparse.data[0]), 'L1Regularizer: the relevant weight w0 (true value 3) should survive').toBeGreaterThan(2);
    });
  });
});
