import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeanSquaredErrorLoss } from '#impl/losses/mean-squared-error-loss.js';
import {
  add,
  describeComparison,
  fromArray,
  lossGradientCheck,
  matmul,
  Parameter,
  Rng,
  scale,
  ShapeError,
  StateError,
  sum,
  tensor,
  transpose,
  ValueError,
} from '../../framework/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty, matrix } from '../helpers/property.js';
import { PlainSgd } from '../helpers/test-optimizers.js';

/** Two matrices of the same shape. */
const pair = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }))
  .chain(([r, c]) => fc.tuple(matrix(fc.constant(r), fc.constant(c)), matrix(fc.constant(r), fc.constant(c))));

describe('ex3 MeanSquaredErrorLoss', () => {
  describe('properties', () => {
    it('is ≥ 0, 0 with a zero gradient when prediction = target, and symmetric in prediction and target', () => {
      assertProperty(
        fc.property(pair, ([a, b]) => {
          const [p, y] = [fromArray(a), fromArray(b)];
          const loss = new MeanSquaredErrorLoss();
          const value = loss.forward(p, y);
          expect(value, 'MeanSquaredErrorLoss must be ≥ 0').toBeGreaterThanOrEqual(0);
          expect(new MeanSquaredErrorLoss().forward(y, p), 'MeanSquaredErrorLoss(ŷ, y) must equal MeanSquaredErrorLoss(y, ŷ)').toBeCloseTo(value, 9);
          expect(loss.forward(p, p), 'MeanSquaredErrorLoss(y, y) must be 0').toBe(0);
          expectClose(loss.backward(), scale(p, 0), 0, 'MeanSquaredErrorLoss gradient at prediction = target');
        }),
      );
    });

    it("reduction 'sum' is the batch size times 'mean', for the loss and its gradient", () => {
      assertProperty(
        fc.property(pair, ([a, b]) => {
          const [p, y] = [fromArray(a), fromArray(b)];
          const batch = p.shape[0];
          const mean = new MeanSquaredErrorLoss();
          const total = new MeanSquaredErrorLoss({ reduction: 'sum' });
          expect(total.forward(p, y), "MeanSquaredErrorLoss 'sum' = batch · 'mean' (the mean is over the batch, not over every element)").toBeCloseTo(batch * mean.forward(p, y), 8);
          expectClose(total.backward(), scale(mean.backward(), batch), 1e-9, "MeanSquaredErrorLoss gradient, 'sum' vs batch · 'mean'");
        }),
      );
    });

    it('explains mismatched shapes, an unknown reduction and a backward before forward', () => {
      expect(new MeanSquaredErrorLoss().forward(fromArray([[1, 2]]), fromArray([[1, 2]])), 'MeanSquaredErrorLoss of equal tensors').toBe(0);
      expect(() => new MeanSquaredErrorLoss().forward(fromArray([[1, 2]]), fromArray([[1, 2, 3]]))).toThrow(ShapeError);
      expect(() => new MeanSquaredErrorLoss({ reduction: 'max' as never })).toThrow(ValueError);
      expect(() => new MeanSquaredErrorLoss().backward()).toThrow(StateError);
    });
  });

  describe('gradients', () => {
    for (const reduction of ['mean', 'sum'] as const) {
      it(`the prediction gradient matches centred differences (reduction '${reduction}')`, () => {
        const rng = new Rng(reduction === 'mean' ? 1 : 2);
        const comparison = lossGradientCheck(new MeanSquaredErrorLoss({ reduction }), rng.normalTensor([4, 3]), rng.normalTensor([4, 3]));
        expect(comparison.maxRelativeError, `MeanSquaredErrorLoss.backward: ${describeComparison(comparison)}`).toBeLessThan(1e-7);
      });
    }
  });

  describe('known values', () => {
    it('½·(y − ŷ)² for the output 0.64 of seed 000: 540 against target 1: loss 0.0648, gradient ŷ − y = −0.36 (000: 347; 004: 1839)', () => {
      const loss = new MeanSquaredErrorLoss();
      expect(loss.forward(fromArray([[0.64]]), fromArray([[1]])), 'MeanSquaredErrorLoss: ½·0.36²').toBeCloseTo(0.0648, 12);
      expectClose(loss.backward(), [[-0.36]], 1e-12, 'MeanSquaredErrorLoss gradient ŷ − y');
    });

    it("a batch of two: ½·(1 + 4 + 9 + 16) = 15 summed, 7.5 as the mean over the batch; gradient (ŷ − y)/2", () => {
      const prediction = fromArray([[1, 2], [3, 4]]);
      const target = fromArray([[0, 0], [0, 0]]);
      const mean = new MeanSquaredErrorLoss();
      expect(mean.forward(prediction, target), "MeanSquaredErrorLoss reduction 'mean'").toBeCloseTo(7.5, 12);
      expectClose(mean.backward(), [[0.5, 1], [1.5, 2]], 1e-12, "MeanSquaredErrorLoss gradient, reduction 'mean'");
      expect(new MeanSquaredErrorLoss({ reduction: 'sum' }).forward(prediction, target), "MeanSquaredErrorLoss reduction 'sum'").toBeCloseTo(15, 12);
    });
  });

  describe('training', () => {
    it('gradient descent on it fits a line, y = 2x − 1 plus noise (seeded)', () => {
      const rng = new Rng(5);
      const x = rng.uniformTensor([64, 1], -2, 2);
      const y = tensor(Array.from(x.data, (v) => 2 * v - 1 + 0.05 * rng.normal()), [64, 1]);
      const weight = new Parameter('weight', fromArray([[0]]), 'weight');
      const bias = new Parameter('bias', fromArray([0]), 'bias');
      const optimizer = new PlainSgd({ lr: 0.1 });
      const loss = new MeanSquaredErrorLoss();
      let last = Infinity;
      for (let step = 0; step < 300; step++) {
        optimizer.zeroGrad([weight, bias]);
        last = loss.forward(add(matmul(x, weight.value), bias.value), y);
        const gradient = loss.backward();
        weight.accumulate(matmul(transpose(x), gradient));
        bias.accumulate(sum(gradient, 0));
        optimizer.step([weight, bias]);
      }
      expect(last, 'MeanSquaredErrorLoss after 300 steps should be near the noise floor ½·0.05²').toBeLessThan(0.01);
      expect(weight.value.data[0], 'fitted slope (true 2)').toBeCloseTo(2, 1);
      expect(bias.value.data[0], 'fitted intercept (true −1)').toBeCloseTo(-1, 1);
    });
  });
});
