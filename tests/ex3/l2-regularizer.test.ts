import fc from 'fast-check';
import { expect } from 'vitest';
import { L2Regularizer } from '#impl/regularizers/l2-regularizer.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import {
  compareWithNumeric,
  fromArray,
  neg,
  Parameter,
  Rng,
  scale,
  ValueError,
  type Tensor,
} from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  fail,
  gradient,
  knownValue,
  matrix,
  numberData,
  parameterData,
  property,
  tensorData,
  thrown,
  training,
} from '../harness/index.js';
import { ParameterHolder } from '../helpers/parameter-holder.js';
import { describeOverfit, overfitAccuracies, overfitRun } from '../helpers/overfitting.js';
import { regularizedRegression, verifyRegularizedSteps } from '../helpers/regularized-regression.js';
import { LogitsCrossEntropy } from '../helpers/test-training.js';
import { FlipOptimizer, PlainSgd } from '../helpers/test-optimizers.js';

/**
 * Exercise 3, L2Regularizer (weight decay): norm(w) = α·Σw² (reported as the regularization loss,
 * seed 004: 3648) and gradient(w) = α·w (what the optimizer applies: (1 − ηα)·w, 004: 3659). The kit's
 * convention (docs/conventions.md, as the FAU exercise): α·w is ∂/∂w of (α/2)·Σw², half the derivative
 * of norm. The optimizer (given) applies it to role 'weight' only, from the weights before the step.
 * Handout: docs/exercises/3-regularization.md#l2regularizer
 */

const weightsAndAlpha = fc.tuple(
  matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  fc.double({ min: 0, max: 5, noNaN: true }),
);

function normAndGradient(alpha: number, w: Tensor) {
  const regularizer = new L2Regularizer(alpha);
  return {
    norm: numberData(regularizer.norm(w), 'L2Regularizer.norm'),
    gradient: tensorData(regularizer.gradient(w), 'L2Regularizer.gradient'),
  };
}

export default componentChecks('ex3', 'L2Regularizer', [
  property({
    title: 'gradient(w) is α·w, element by element, with the shape of w',
    run: (rng) =>
      drawSamples(weightsAndAlpha, rng, 40).map(([rows, alpha]) => {
        const w = fromArray(rows);
        return {
          w: tensorData(w, 'w'),
          alpha,
          gradient: tensorData(new L2Regularizer(alpha).gradient(w), 'L2Regularizer.gradient'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ w, alpha, gradient }, s) => {
        expectClose(
          gradient,
          { shape: w.shape, data: w.data.map((v) => alpha * v) },
          1e-12,
          `sample ${s} (α = ${alpha}): L2Regularizer.gradient must be α·w (not 2α·w: the kit's convention, docs/conventions.md)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'norm(w) = α·Σw²: ≥ 0, even in w, zero at w = 0, and linear in α',
    run: (rng) =>
      drawSamples(weightsAndAlpha, rng, 40).map(([rows, alpha]) => {
        const w = fromArray(rows);
        return {
          w: tensorData(w, 'w'),
          alpha,
          norm: numberData(new L2Regularizer(alpha).norm(w), 'L2Regularizer.norm'),
          ofNegated: numberData(new L2Regularizer(alpha).norm(neg(w)), 'L2Regularizer.norm'),
          doubleAlpha: numberData(new L2Regularizer(2 * alpha).norm(w), 'L2Regularizer.norm'),
          ofZero: numberData(new L2Regularizer(alpha).norm(scale(w, 0)), 'L2Regularizer.norm'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ w, alpha, norm, ofNegated, doubleAlpha, ofZero }, s) => {
        const expected = alpha * w.data.reduce((total, v) => total + v * v, 0);
        expectClose(
          norm,
          expected,
          1e-12,
          `sample ${s} (α = ${alpha}): L2Regularizer.norm must be α·Σw² (no ½, no square root)`,
        );
        expect(norm, `sample ${s}: L2Regularizer.norm must be ≥ 0`).toBeGreaterThanOrEqual(0);
        expectClose(ofNegated, norm, 1e-12, `sample ${s}: L2Regularizer.norm(−w) must equal norm(w)`);
        expectClose(doubleAlpha, 2 * norm, 1e-12, `sample ${s}: L2Regularizer.norm must double when α doubles`);
        expectClose(ofZero, 0, 0, `sample ${s}: L2Regularizer.norm(0)`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a gradient step with the penalty, step by step on a seeded regression: w ← (1 − ηα)·w − η·∂L/∂w',
    // The data gradient is the kit's, computed in run; verify re-derives each step from the weights before it.
    run: (rng) => regularizedRegression(rng, (alpha) => new L2Regularizer(alpha)),
    verify: (trajectory) => verifyRegularizedSteps(trajectory, (w) => w, 'L2Regularizer', 'α·w_old'),
    hiddenRerun: true,
  }),
  gradient({
    title:
      "gradient(w) is half the centred-difference gradient of norm(w) (the kit's convention: α·w is ∂/∂w of (α/2)·Σw²)",
    run: () => {
      const w = new Rng(4).normalTensor([3, 4]);
      const regularizer = new L2Regularizer(0.3);
      const analytic = regularizer.gradient(w);
      tensorData(analytic, 'L2Regularizer.gradient');
      return compareWithNumeric('weights', scale(analytic, 2), w, () =>
        numberData(regularizer.norm(w), 'L2Regularizer.norm'),
      );
    },
    verify: (comparison) => {
      if (!(comparison.maxRelativeError < 1e-7)) {
        fail(
          `2·L2Regularizer.gradient has relative error ${comparison.maxRelativeError} (limit 1e-7) at [${comparison.worstIndex.join(', ')}]: 2·gradient gave ${comparison.analytic}, centred differences of norm give ${comparison.numeric}. ` +
            'With norm(w) = α·Σw², gradient(w) must be α·w (half of ∂norm/∂w, the convention in docs/conventions.md).',
        );
      }
    },
  }),
  knownValue({
    title: 'α = 0.1 on [[1, −2], [0, 3]]: norm 1.4, gradient [[0.1, −0.2], [0, 0.3]]',
    run: () =>
      normAndGradient(
        0.1,
        fromArray([
          [1, -2],
          [0, 3],
        ]),
      ),
    verify: ({ norm, gradient }) => {
      expectClose(norm, 1.4, 1e-12, 'L2Regularizer.norm: 0.1·(1 + 4 + 0 + 9)');
      expectClose(
        gradient,
        [
          [0.1, -0.2],
          [0, 0.3],
        ],
        1e-12,
        'L2Regularizer.gradient: α·w',
      );
    },
  }),
  knownValue({
    title: 'one SGD step is weight decay, (1 − ηλ)·w − η·∂L/∂w (seed 004: 3659; 000: 1548), for role "weight" only',
    run: () => {
      const roles = ['weight', 'bias', 'scale', 'shift'] as const;
      const parameters = roles.map(
        (role) =>
          new Parameter(
            role,
            fromArray([
              [0.5, -1.5],
              [2, 0],
            ]),
            role,
          ),
      );
      for (const parameter of parameters)
        parameter.accumulate(
          fromArray([
            [1, 1],
            [-1, 2],
          ]),
        );
      new PlainSgd({ lr: 0.1, regularizer: new L2Regularizer(0.2) }).step(parameters);
      return parameterData(parameters, 'PlainSgd.step with L2Regularizer(0.2)');
    },
    verify: (values) => {
      // (1 − 0.02)·w − 0.1·g: 0.49 − 0.1 = 0.39;  −1.47 − 0.1 = −1.57;  1.96 + 0.1 = 2.06;  0 − 0.2 = −0.2
      expectClose(
        values.weight,
        [
          [0.39, -1.57],
          [2.06, -0.2],
        ],
        1e-12,
        'weights after one SGD step with L2Regularizer(0.2), lr 0.1',
      );
      for (const role of ['bias', 'scale', 'shift'])
        expectClose(
          values[role],
          [
            [0.4, -1.6],
            [2.1, -0.2],
          ],
          1e-12,
          `${role} after the step (only the plain gradient step; the penalty is for role 'weight' only)`,
        );
    },
  }),
  knownValue({
    title: 'the optimizer takes the penalty from the weights before the step, and only for role "weight"',
    run: () => {
      const values = {
        weight: fromArray([1, -2]),
        bias: fromArray([1, -2]),
        scale: fromArray([1, -2]),
        shift: fromArray([1, -2]),
      };
      const holder = ParameterHolder.ofEachRole(values);
      new FlipOptimizer(0.5, { regularizer: new L2Regularizer(0.2) }).step(holder.parameters());
      return parameterData(holder.held, 'FlipOptimizer.step with L2Regularizer(0.2)');
    },
    verify: (values) => {
      // −w − η·α·w_old = (−1 − 0.1, 2 + 0.2); a penalty taken after the step would give (−0.9, 1.8).
      expectClose(
        values.weight,
        [-1.1, 2.2],
        1e-12,
        'weight after a sign-flipping step with L2Regularizer(0.2), lr 0.5',
      );
      for (const role of ['bias', 'scale', 'shift'])
        expectClose(values[role], [-1, 2], 1e-12, `${role} (must not be regularized)`);
    },
  }),
  knownValue({
    title: "the network's regularizationLoss is α·Σw² over the weights only, and computeLoss adds it to the data loss",
    run: () => {
      const holder = ParameterHolder.ofEachRole({
        weight: fromArray([
          [1, -2],
          [0.5, 0],
        ]),
        bias: fromArray([10, -10]),
        scale: fromArray([3, 3]),
        shift: fromArray([-4, 4]),
      });
      const network = new NeuralNetwork({
        optimizer: new PlainSgd({ lr: 0.1, regularizer: new L2Regularizer(0.5) }),
        loss: new LogitsCrossEntropy(),
        rng: new Rng(1),
      });
      network.append(holder);
      return {
        regularization: numberData(network.regularizationLoss(), 'NeuralNetwork.regularizationLoss'),
        total: numberData(network.computeLoss(fromArray([[0, 0]]), fromArray([[1, 0]])), 'NeuralNetwork.computeLoss'),
      };
    },
    verify: ({ regularization, total }) => {
      expectClose(
        regularization,
        2.625,
        1e-12,
        'NeuralNetwork.regularizationLoss with L2Regularizer(0.5): 0.5·(1 + 4 + 0.25 + 0), the weights only',
      );
      expectClose(total, Math.LN2 + 2.625, 1e-12, 'NeuralNetwork.computeLoss = data loss (ln 2) + regularization loss');
    },
  }),
  badInput({
    title: 'α = 0 is no penalty; a negative or non-finite α is refused with a ValueError',
    run: () => ({
      // Calls into norm and gradient first: the refusals are given code, which the stub has too.
      zero: normAndGradient(0, fromArray([1, -2, 0])),
      negative: thrown(() => new L2Regularizer(-0.1)),
      infinite: thrown(() => new L2Regularizer(Number.POSITIVE_INFINITY)),
      notANumber: thrown(() => new L2Regularizer(Number.NaN)),
    }),
    verify: ({ zero, negative, infinite, notANumber }) => {
      expectClose(zero.norm, 0, 0, 'L2Regularizer(0).norm');
      expectClose(zero.gradient, [0, 0, 0], 0, 'L2Regularizer(0).gradient');
      expectError(negative, ValueError.name, 'new L2Regularizer(−0.1)');
      expectError(infinite, ValueError.name, 'new L2Regularizer(∞)');
      expectError(notANumber, ValueError.name, 'new L2Regularizer(NaN)');
    },
  }),
  training({
    title:
      'an overfitting MLP on noisily labelled data has a smaller train–test gap and a better test accuracy with L2 than without (seeded)',
    // The setup is in tests/helpers/overfitting.ts (synthetic data: the grader cannot read data/).
    run: () => ({ plain: overfitRun(), regularized: overfitRun({ regularizer: new L2Regularizer(0.01) }) }),
    verify: (runs) => {
      const plain = overfitAccuracies(runs.plain);
      const regularized = overfitAccuracies(runs.regularized);
      expect(
        plain.gap,
        `the unregularized MLP should overfit (${describeOverfit(plain)}); if not, the test setup is broken`,
      ).toBeGreaterThan(0.15);
      expect(
        regularized.gap,
        `L2Regularizer(0.01) should shrink the gap: without ${describeOverfit(plain)}; with ${describeOverfit(regularized)}`,
      ).toBeLessThan(plain.gap - 0.08);
      expect(
        regularized.testAccuracy,
        `L2Regularizer(0.01) should improve the test accuracy: without ${describeOverfit(plain)}; with ${describeOverfit(regularized)}`,
      ).toBeGreaterThan(plain.testAccuracy + 0.02);
    },
  }),
]);
