import fc from 'fast-check';
import { expect } from 'vitest';
import { L1Regularizer } from '#impl/regularizers/l1-regularizer.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import {
  compareWithNumeric,
  fromArray,
  matmul,
  neg,
  Parameter,
  Rng,
  scale,
  sub,
  tensor,
  transpose,
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
  type TensorData,
} from '../harness/index.js';
import { ParameterHolder } from '../helpers/parameter-holder.js';
import { LogitsCrossEntropy } from '../helpers/test-training.js';
import { FlipOptimizer, PlainSgd } from '../helpers/test-optimizers.js';
import { regularizedRegression, verifyRegularizedSteps } from '../helpers/regularized-regression.js';

/**
 * Exercise 3, L1Regularizer: norm(w) = α·Σ|w| (seed 004: 3673), gradient(w) = α·sign(w), 0 at w = 0
 * (its subgradient, 004: 3684). The optimizer (given: framework/nn/optimizer.ts) applies it to role
 * 'weight' only, from the weights before the step. Handout: docs/exercises/3-regularization.md#l1regularizer
 */

const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);

/** Weights of random shape with an exact 0 in every other sample (where the subgradient is chosen), and α. */
const weightsAndAlpha = fc.tuple(
  matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  fc.double({ min: 0, max: 5, noNaN: true }),
  fc.boolean(),
);

function normAndGradient(alpha: number, w: Tensor) {
  const regularizer = new L1Regularizer(alpha);
  return {
    norm: numberData(regularizer.norm(w), 'L1Regularizer.norm'),
    gradient: tensorData(regularizer.gradient(w), 'L1Regularizer.gradient'),
  };
}

export default componentChecks('ex3', 'L1Regularizer', [
  property({
    title: 'gradient(w) is α·sign(w), element by element, with the shape of w (0 where w = 0)',
    run: (rng) =>
      drawSamples(weightsAndAlpha, rng, 40).map(([rows, alpha, withZero]) => {
        if (withZero) rows[rows.length - 1][0] = 0;
        const w = fromArray(rows);
        return {
          w: tensorData(w, 'w'),
          alpha,
          gradient: tensorData(new L1Regularizer(alpha).gradient(w), 'L1Regularizer.gradient'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ w, alpha, gradient }, s) => {
        expectClose(
          gradient,
          { shape: w.shape, data: w.data.map((v) => alpha * sign(v)) },
          1e-12,
          `sample ${s} (α = ${alpha}): L1Regularizer.gradient must be α·sign(w), and 0 at w = 0`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'norm(w) = α·Σ|w|: ≥ 0, even in w, and linear in α',
    run: (rng) =>
      drawSamples(weightsAndAlpha, rng, 40).map(([rows, alpha]) => {
        const w = fromArray(rows);
        return {
          w: tensorData(w, 'w'),
          alpha,
          norm: numberData(new L1Regularizer(alpha).norm(w), 'L1Regularizer.norm'),
          ofNegated: numberData(new L1Regularizer(alpha).norm(neg(w)), 'L1Regularizer.norm'),
          doubleAlpha: numberData(new L1Regularizer(2 * alpha).norm(w), 'L1Regularizer.norm'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ w, alpha, norm, ofNegated, doubleAlpha }, s) => {
        const expected = alpha * w.data.reduce((total, v) => total + Math.abs(v), 0);
        expectClose(
          norm,
          expected,
          1e-12,
          `sample ${s} (α = ${alpha}): L1Regularizer.norm must be α·Σ|w| (the absolute values, summed over every element)`,
        );
        expect(norm, `sample ${s}: L1Regularizer.norm must be ≥ 0`).toBeGreaterThanOrEqual(0);
        expectClose(ofNegated, norm, 1e-12, `sample ${s}: L1Regularizer.norm(−w) must equal norm(w)`);
        expectClose(doubleAlpha, 2 * norm, 1e-12, `sample ${s}: L1Regularizer.norm must double when α doubles`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a gradient step with the penalty, step by step on a seeded regression: w ← w − η·∂L/∂w − η·α·sign(w_old)',
    // The data gradient is the kit's, computed in run; verify re-derives each step from the weights before it.
    run: (rng) => regularizedRegression(rng, (alpha) => new L1Regularizer(alpha)),
    verify: (trajectory) => verifyRegularizedSteps(trajectory, (w) => sign(w), 'L1Regularizer', 'α·sign(w_old)'),
    hiddenRerun: true,
  }),
  gradient({
    title: 'gradient(w) matches centred differences of norm(w) (weights away from 0, where |w| is smooth)',
    run: () => {
      const w = new Rng(3).uniformTensor([3, 4], 0.2, 2);
      for (let i = 0; i < w.size; i += 2) w.data[i] = -w.data[i];
      const regularizer = new L1Regularizer(0.3);
      const analytic = regularizer.gradient(w);
      tensorData(analytic, 'L1Regularizer.gradient');
      return compareWithNumeric('weights', analytic, w, () => numberData(regularizer.norm(w), 'L1Regularizer.norm'));
    },
    verify: (comparison) => {
      if (!(comparison.maxRelativeError < 1e-7)) {
        fail(
          `L1Regularizer.gradient has relative error ${comparison.maxRelativeError} (limit 1e-7) at [${comparison.worstIndex.join(', ')}]: gradient gave ${comparison.analytic}, centred differences of norm give ${comparison.numeric}. gradient(w) must be ∂norm/∂w = α·sign(w).`,
        );
      }
    },
  }),
  knownValue({
    title: 'α = 0.1 on [[1, −2], [0, 3]]: norm 0.6, gradient [[0.1, −0.1], [0, 0.1]]',
    run: () =>
      normAndGradient(
        0.1,
        fromArray([
          [1, -2],
          [0, 3],
        ]),
      ),
    verify: ({ norm, gradient }) => {
      expectClose(norm, 0.6, 1e-12, 'L1Regularizer.norm: 0.1·(1 + 2 + 0 + 3)');
      expectClose(
        gradient,
        [
          [0.1, -0.1],
          [0, 0.1],
        ],
        1e-12,
        'L1Regularizer.gradient: α·sign(w), 0 at w = 0',
      );
    },
  }),
  knownValue({
    title: 'one SGD step is w − η·λ·sign(w) − η·∂L/∂w (seed 004: 3684, "Other shrinkage"), for role "weight" only',
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
      new PlainSgd({ lr: 0.1, regularizer: new L1Regularizer(0.2) }).step(parameters);
      return parameterData(parameters, 'PlainSgd.step with L1Regularizer(0.2)');
    },
    verify: (values) => {
      // 0.5 − 0.1·0.2·1 − 0.1·1 = 0.38;  −1.5 + 0.02 − 0.1 = −1.58;  2 − 0.02 + 0.1 = 2.08;  0 − 0 − 0.2 = −0.2
      expectClose(
        values.weight,
        [
          [0.38, -1.58],
          [2.08, -0.2],
        ],
        1e-12,
        'weights after one SGD step with L1Regularizer(0.2), lr 0.1 (the penalty at w = 0 must be 0)',
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
      new FlipOptimizer(0.5, { regularizer: new L1Regularizer(0.2) }).step(holder.parameters());
      return parameterData(holder.held, 'FlipOptimizer.step with L1Regularizer(0.2)');
    },
    verify: (values) => {
      // −w − η·α·sign(w_old) = (−1 − 0.1, 2 + 0.1); a penalty taken after the step would give (−0.9, 1.9).
      expectClose(
        values.weight,
        [-1.1, 2.1],
        1e-12,
        'weight after a sign-flipping step with L1Regularizer(0.2), lr 0.5',
      );
      for (const role of ['bias', 'scale', 'shift'])
        expectClose(values[role], [-1, 2], 1e-12, `${role} (must not be regularized)`);
    },
  }),
  knownValue({
    title: "the network's regularizationLoss is α·Σ|w| over the weights only (not biases, scales or shifts)",
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
      const second = ParameterHolder.ofEachRole({
        weight: fromArray([-1]),
        bias: fromArray([7]),
        scale: fromArray([7]),
        shift: fromArray([7]),
      });
      const network = new NeuralNetwork({
        optimizer: new PlainSgd({ lr: 0.1, regularizer: new L1Regularizer(0.5) }),
        loss: new LogitsCrossEntropy(),
        rng: new Rng(1),
      });
      network.append(holder);
      network.append(second);
      return numberData(network.regularizationLoss(), 'NeuralNetwork.regularizationLoss');
    },
    verify: (loss) =>
      expectClose(
        loss,
        2.25,
        1e-12,
        'NeuralNetwork.regularizationLoss with L1Regularizer(0.5): 0.5·(1 + 2 + 0.5 + 0 + 1), the weights only',
      ),
  }),
  badInput({
    title: 'α = 0 is no penalty; a negative or non-finite α is refused with a ValueError',
    run: () => ({
      // Calls into norm and gradient first: the refusals are given code, which the stub has too.
      zero: normAndGradient(0, fromArray([1, -2, 0])),
      negative: thrown(() => new L1Regularizer(-1)),
      notFinite: thrown(() => new L1Regularizer(Number.NaN)),
    }),
    verify: ({ zero, negative, notFinite }) => {
      expectClose(zero.norm, 0, 0, 'L1Regularizer(0).norm');
      expectClose(zero.gradient, [0, 0, 0], 0, 'L1Regularizer(0).gradient');
      expectError(negative, ValueError.name, 'new L1Regularizer(−1)');
      expectError(notFinite, ValueError.name, 'new L1Regularizer(NaN)');
    },
  }),
  training({
    title: 'L1 drives the weights of irrelevant features to (almost) zero in a seeded regression',
    // y = 3·x0 − 2·x1 + noise; features 2…9 are irrelevant. Gradient descent on ½·mean squared error.
    run: () => {
      const rng = new Rng(11);
      const samples = 30;
      const x = rng.normalTensor([samples, 10]);
      const truth = tensor([3, -2, 0, 0, 0, 0, 0, 0, 0, 0], [10, 1]);
      const y = matmul(x, truth);
      for (let i = 0; i < samples; i++) y.data[i] += 0.5 * rng.normal();
      const trainWith = (alpha: number): TensorData => {
        const weight = new Parameter('weight', new Rng(5).normalTensor([10, 1]), 'weight');
        const optimizer = new PlainSgd({ lr: 0.05, regularizer: alpha > 0 ? new L1Regularizer(alpha) : undefined });
        for (let step = 0; step < 600; step++) {
          optimizer.zeroGrad([weight]);
          weight.accumulate(scale(matmul(transpose(x), sub(matmul(x, weight.value), y)), 1 / samples));
          optimizer.step([weight]);
        }
        return tensorData(weight.value, 'weights after training with L1Regularizer');
      };
      return { plain: trainWith(0), sparse: trainWith(0.2) };
    },
    verify: ({ plain, sparse }) => {
      const irrelevant = (w: TensorData): number => w.data.slice(2).reduce((total, v) => total + Math.abs(v), 0) / 8;
      expect(
        irrelevant(plain),
        'without a penalty the irrelevant weights stay away from 0; if not, the setup is broken',
      ).toBeGreaterThan(0.02);
      expect(
        irrelevant(sparse),
        `L1Regularizer: mean |w| of the irrelevant features is ${irrelevant(sparse)} with L1 and ${irrelevant(plain)} without; L1 should push them towards 0`,
      ).toBeLessThan(0.25 * irrelevant(plain));
      expect(
        Math.abs(sparse.data[0]),
        'L1Regularizer: the relevant weight w0 (true value 3) should survive',
      ).toBeGreaterThan(2);
    },
  }),
]);
