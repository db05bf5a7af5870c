import fc from 'fast-check';
import { expect } from 'vitest';
import { MeanSquaredErrorLoss } from '#impl/losses/mean-squared-error-loss.js';
import {
  add,
  fromArray,
  matmul,
  Parameter,
  Rng,
  ShapeError,
  StateError,
  sum,
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
  intIn,
  knownValue,
  lossGradients,
  matrix,
  numberData,
  property,
  tensorData,
  thrown,
  training,
  expectGradientsMatch,
  type TensorData,
} from '../harness/index.js';
import { PlainSgd } from '../helpers/test-optimizers.js';

/**
 * Exercise 3, MeanSquaredErrorLoss: per example ½·‖ŷ − y‖² (seed 004: 1839; 000: 347), averaged over
 * the BATCH for reduction 'mean' (the default; not over every element, as PyTorch's MSELoss does) or
 * summed for 'sum'; ∂L/∂ŷ = ŷ − y, divided by the batch size for 'mean'. docs/conventions.md §4.
 * Handout: docs/exercises/3-regularization.md#meansquarederrorloss
 */

type Reduction = 'mean' | 'sum';

/** Two matrices of the same shape. */
const pair = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }))
  .chain(([r, c]) => fc.tuple(matrix(fc.constant(r), fc.constant(c)), matrix(fc.constant(r), fc.constant(c))));

function lossAndGradient(prediction: Tensor, target: Tensor, reduction: Reduction = 'mean') {
  const loss = new MeanSquaredErrorLoss({ reduction });
  const value = numberData(loss.forward(prediction, target), 'MeanSquaredErrorLoss.forward');
  return { loss: value, gradient: tensorData(loss.backward(), 'MeanSquaredErrorLoss.backward') };
}

/** ½·Σ(ŷ − y)² and ŷ − y, divided by the batch (the first axis) for 'mean': written out with loops. */
function definition(p: TensorData, y: TensorData, reduction: Reduction) {
  const factor = reduction === 'mean' ? 1 / p.shape[0] : 1;
  let loss = 0;
  p.data.forEach((v, i) => {
    loss += 0.5 * (v - y.data[i]) ** 2;
  });
  return { loss: loss * factor, gradient: { shape: p.shape, data: p.data.map((v, i) => (v - y.data[i]) * factor) } };
}

/** A random batch of random shape, both reductions. */
function randomPass(rng: Rng) {
  const shape = [intIn(rng, 1, 6), intIn(rng, 1, 5)];
  const prediction = rng.normalTensor(shape, 0, 3);
  const target = rng.normalTensor(shape);
  return {
    prediction: tensorData(prediction, 'ŷ'),
    target: tensorData(target, 'y'),
    mean: lossAndGradient(prediction, target, 'mean'),
    sum: lossAndGradient(prediction, target, 'sum'),
  };
}

export default componentChecks('ex3', 'MeanSquaredErrorLoss', [
  property({
    title: 'is ≥ 0, 0 with a zero gradient when prediction = target, and symmetric in prediction and target',
    run: (rng) =>
      drawSamples(pair, rng, 40).map(([a, b]) => {
        const [p, y] = [fromArray(a), fromArray(b)];
        const loss = new MeanSquaredErrorLoss();
        const value = numberData(loss.forward(p, y), 'MeanSquaredErrorLoss.forward');
        const swapped = numberData(new MeanSquaredErrorLoss().forward(y, p), 'MeanSquaredErrorLoss.forward');
        const same = numberData(loss.forward(p, p), 'MeanSquaredErrorLoss.forward');
        return { value, swapped, same, gradientAtTarget: tensorData(loss.backward(), 'MeanSquaredErrorLoss.backward') };
      }),
    verify: (samples) =>
      samples.forEach(({ value, swapped, same, gradientAtTarget }, s) => {
        expect(value, `sample ${s}: MeanSquaredErrorLoss must be ≥ 0`).toBeGreaterThanOrEqual(0);
        expectClose(
          swapped,
          value,
          1e-12,
          `sample ${s}: MeanSquaredErrorLoss(ŷ, y) must equal MeanSquaredErrorLoss(y, ŷ)`,
        );
        expectClose(same, 0, 0, `sample ${s}: MeanSquaredErrorLoss(y, y)`);
        expectClose(
          gradientAtTarget,
          { shape: gradientAtTarget.shape, data: gradientAtTarget.data.map(() => 0) },
          0,
          `sample ${s}: MeanSquaredErrorLoss.backward at prediction = target`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: "reduction 'sum' is the batch size times 'mean', for the loss and its gradient",
    run: (rng) =>
      drawSamples(pair, rng, 40).map(([a, b]) => {
        const [p, y] = [fromArray(a), fromArray(b)];
        return { batch: p.shape[0], mean: lossAndGradient(p, y, 'mean'), sum: lossAndGradient(p, y, 'sum') };
      }),
    verify: (samples) =>
      samples.forEach(({ batch, mean, sum: total }, s) => {
        expectClose(
          total.loss,
          batch * mean.loss,
          1e-9,
          `sample ${s}: MeanSquaredErrorLoss 'sum' = batch · 'mean' (the mean is over the batch, not over every element)`,
        );
        expectClose(
          total.gradient,
          { shape: mean.gradient.shape, data: mean.gradient.data.map((v) => batch * v) },
          1e-9,
          `sample ${s}: MeanSquaredErrorLoss gradient, 'sum' vs batch · 'mean'`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      "forward and backward on random shapes agree with ½·Σ(ŷ − y)² and ŷ − y (divided by the batch size for 'mean')",
    run: (rng) => randomPass(rng),
    verify: ({ prediction, target, mean, sum: total }) => {
      for (const [reduction, got] of [
        ['mean', mean],
        ['sum', total],
      ] as const) {
        const want = definition(prediction, target, reduction);
        const scale =
          reduction === 'mean' ? `/batch (${prediction.shape[0]} rows, not ${prediction.data.length} elements)` : '';
        expectClose(
          got.loss,
          want.loss,
          1e-12,
          `MeanSquaredErrorLoss.forward, reduction '${reduction}': ½·Σ(ŷ − y)²${scale}`,
        );
        expectClose(
          got.gradient,
          want.gradient,
          1e-12,
          `MeanSquaredErrorLoss.backward, reduction '${reduction}': (ŷ − y)${scale}`,
        );
      }
    },
    hiddenRerun: true,
  }),
  ...(['mean', 'sum'] as const).map((reduction) =>
    gradient({
      title: `the prediction gradient matches centred differences (reduction '${reduction}')`,
      run: () => {
        const rng = new Rng(reduction === 'mean' ? 1 : 2);
        return lossGradients(
          new MeanSquaredErrorLoss({ reduction }),
          rng.normalTensor([4, 3]),
          rng.normalTensor([4, 3]),
        );
      },
      verify: (report) => expectGradientsMatch(report, 1e-7),
    }),
  ),
  knownValue({
    title:
      '½·(y − ŷ)² for the output 0.64 of seed 000: 540 against target 1: loss 0.0648, gradient ŷ − y = −0.36 (000: 347; 004: 1839)',
    run: () => lossAndGradient(fromArray([[0.64]]), fromArray([[1]])),
    verify: ({ loss, gradient }) => {
      expectClose(loss, 0.0648, 1e-12, 'MeanSquaredErrorLoss: ½·0.36² (with the ½)');
      expectClose(gradient, [[-0.36]], 1e-12, 'MeanSquaredErrorLoss gradient ŷ − y (no factor 2: the ½ cancels it)');
    },
  }),
  knownValue({
    title:
      'a batch of two: ½·(1 + 4 + 9 + 16) = 15 summed, 7.5 as the mean over the batch (not 3.75 over every element); gradient (ŷ − y)/2',
    run: () => ({
      mean: lossAndGradient(
        fromArray([
          [1, 2],
          [3, 4],
        ]),
        fromArray([
          [0, 0],
          [0, 0],
        ]),
      ),
      sum: lossAndGradient(
        fromArray([
          [1, 2],
          [3, 4],
        ]),
        fromArray([
          [0, 0],
          [0, 0],
        ]),
        'sum',
      ),
    }),
    verify: ({ mean, sum: total }) => {
      expectClose(
        mean.loss,
        7.5,
        1e-12,
        "MeanSquaredErrorLoss reduction 'mean': divide by the batch size (2), not by the 4 elements",
      );
      expectClose(
        mean.gradient,
        [
          [0.5, 1],
          [1.5, 2],
        ],
        1e-12,
        "MeanSquaredErrorLoss gradient, reduction 'mean': (ŷ − y)/batch",
      );
      expectClose(total.loss, 15, 1e-12, "MeanSquaredErrorLoss reduction 'sum'");
      expectClose(
        total.gradient,
        [
          [1, 2],
          [3, 4],
        ],
        1e-12,
        "MeanSquaredErrorLoss gradient, reduction 'sum': ŷ − y",
      );
    },
  }),
  badInput({
    title:
      'refuses mismatched shapes (ShapeError), an unknown reduction (ValueError) and a backward before forward (StateError)',
    run: () => ({
      // A valid call first: the refusals are given code, which the stub has too.
      equal: lossAndGradient(fromArray([[1, 2]]), fromArray([[1, 2]])),
      mismatchedShapes: thrown(() => new MeanSquaredErrorLoss().forward(fromArray([[1, 2]]), fromArray([[1, 2, 3]]))),
      unknownReduction: thrown(() => new MeanSquaredErrorLoss({ reduction: 'max' as never })),
      backwardBeforeForward: thrown(() => new MeanSquaredErrorLoss().backward()),
    }),
    verify: ({ equal, mismatchedShapes, unknownReduction, backwardBeforeForward }) => {
      expectClose(equal.loss, 0, 0, 'MeanSquaredErrorLoss of equal tensors');
      expectError(mismatchedShapes, ShapeError.name, 'MeanSquaredErrorLoss.forward of [1, 2] against [1, 3]');
      expectError(unknownReduction, ValueError.name, "new MeanSquaredErrorLoss({ reduction: 'max' })");
      expectError(backwardBeforeForward, StateError.name, 'MeanSquaredErrorLoss.backward before forward');
    },
  }),
  training({
    title: 'gradient descent on it fits a line, y = 2x − 1 plus noise (seeded)',
    run: () => {
      const rng = new Rng(5);
      const x = rng.uniformTensor([64, 1], -2, 2);
      const y = tensor(
        Array.from(x.data, (v) => 2 * v - 1 + 0.05 * rng.normal()),
        [64, 1],
      );
      const weight = new Parameter('weight', fromArray([[0]]), 'weight');
      const bias = new Parameter('bias', fromArray([0]), 'bias');
      const optimizer = new PlainSgd({ lr: 0.1 });
      const loss = new MeanSquaredErrorLoss();
      for (let step = 0; step < 300; step++) {
        optimizer.zeroGrad([weight, bias]);
        loss.forward(add(matmul(x, weight.value), bias.value), y);
        const gradient = loss.backward();
        tensorData(gradient, 'MeanSquaredErrorLoss.backward');
        weight.accumulate(matmul(transpose(x), gradient));
        bias.accumulate(sum(gradient, 0));
        optimizer.step([weight, bias]);
      }
      return {
        x: tensorData(x, 'x'),
        y: tensorData(y, 'y'),
        slope: weight.value.data[0],
        intercept: bias.value.data[0],
      };
    },
    verify: ({ x, y, slope, intercept }) => {
      // The fitted line's loss, computed here: ½·mean of the squared residuals.
      const fitted =
        x.data.reduce((total, v, i) => total + 0.5 * (slope * v + intercept - y.data[i]) ** 2, 0) / x.data.length;
      if (!Number.isFinite(fitted))
        fail(`the fitted line is ${slope}·x + ${intercept}; check MeanSquaredErrorLoss.backward`);
      expect(
        fitted,
        `½·mean squared residual of the fitted line ${slope.toFixed(3)}·x + ${intercept.toFixed(3)} should be near the noise floor ½·0.05²; check MeanSquaredErrorLoss.backward`,
      ).toBeLessThan(0.01);
      expect(Math.abs(slope - 2), `fitted slope ${slope} (true 2)`).toBeLessThan(0.05);
      expect(Math.abs(intercept + 1), `fitted intercept ${intercept} (true −1)`).toBeLessThan(0.05);
    },
  }),
]);
