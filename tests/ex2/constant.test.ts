import fc from 'fast-check';
import { expect } from 'vitest';
import { Constant } from '#impl/initializers/constant.js';
import { Rng, ValueError } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  knownValue,
  property,
  tensorData,
  thrown,
} from '../harness/index.js';

/**
 * Exercise 2, Constant: every element `value` (default 0.1, for ReLU biases: seed 004: 3952–3955).
 * Numeric gradients and training do not apply to a constant initializer (no backward, nothing random).
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export default componentChecks('ex2', 'Constant', [
  property({
    title: 'fills any shape with its value, whatever the fans',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
          fc.double({ min: -5, max: 5, noNaN: true }),
          fc.integer({ min: 1, max: 99 }),
        ),
        rng,
        40,
      ).map(([shape, value, fan]) => ({
        shape,
        value,
        fan,
        filled: tensorData(new Constant(value).initialize(shape, fan, fan + 1, new Rng(1)), 'Constant.initialize'),
      })),
    verify: (samples) =>
      samples.forEach(({ shape, value, fan, filled }, i) => {
        const call = `sample ${i}: new Constant(${value}).initialize(${JSON.stringify(shape)}, ${fan}, ${fan + 1}, rng)`;
        expect(filled.shape, `${call} shape`).toEqual(shape);
        expectClose(
          filled,
          { shape, data: new Array<number>(filled.data.length).fill(value) },
          0,
          `${call}: every element must be the constructor's value`,
        );
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'Constant(−0.75) fills a [2, 3, 4] tensor, whatever the fans',
    run: () => tensorData(new Constant(-0.75).initialize([2, 3, 4], 5, 7, new Rng(1)), 'Constant.initialize'),
    verify: (filled) =>
      expectClose(
        filled,
        { shape: [2, 3, 4], data: new Array<number>(24).fill(-0.75) },
        0,
        'new Constant(−0.75).initialize([2, 3, 4], 5, 7, rng)',
      ),
  }),
  knownValue({
    title: 'defaults to 0.1, the bias for ReLU units of seed 004 lines 3954–3955',
    run: () => {
      const constant = new Constant();
      return {
        filled: tensorData(constant.initialize([3], 1, 1, new Rng(1)), 'Constant.initialize'),
        value: constant.value,
      };
    },
    verify: ({ filled, value }) => {
      expectClose(filled, [0.1, 0.1, 0.1], 0, 'new Constant().initialize([3], 1, 1, rng)');
      expect(value, 'new Constant().value').toBe(0.1);
    },
  }),
  badInput({
    title: 'rejects a value that is not finite (NaN, ∞)',
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const filled = tensorData(new Constant(0.5).initialize([2], 1, 1, new Rng(1)), 'Constant.initialize');
      return {
        filled,
        nan: thrown(() => new Constant(Number.NaN)),
        infinite: thrown(() => new Constant(Number.POSITIVE_INFINITY)),
      };
    },
    verify: ({ filled, nan, infinite }) => {
      expect(filled.shape, 'new Constant(0.5).initialize([2], 1, 1, rng) shape').toEqual([2]);
      expectError(nan, ValueError.name, 'new Constant(NaN)', ['finite']);
      expectError(infinite, ValueError.name, 'new Constant(Infinity)', ['finite']);
    },
  }),
]);
