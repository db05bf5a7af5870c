import fc from 'fast-check';
import { expect } from 'vitest';
import { UniformRandom } from '#impl/initializers/uniform-random.js';
import { Rng } from '../../framework/index.js';
import { componentChecks, drawSamples, fail, intIn, knownValue, property } from '../harness/index.js';
import { describeDraw, expectDraw, type Law } from '../helpers/distribution.js';
import { drawTwice, expectShapeAndSeed, RNG_SEEDS, SMALL_SHAPES } from '../helpers/initializer-contract.js';

/**
 * Exercise 2, UniformRandom: independent draws from U[0, 1) whatever the fans (DESIGN §3; the seeds
 * name no range, 004: 3962). Random draws are judged by their distribution (mean 1/2, variance 1/12,
 * kurtosis 1.8, range and a Kolmogorov–Smirnov distance), never value by value. Numeric gradients and
 * training do not apply: an initializer has no backward and calibrates nothing.
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
const unit: Law = { kind: 'uniform', low: 0, high: 1 };

export default componentChecks('ex2', 'UniformRandom', [
  property({
    title: 'returns the requested shape with values in [0, 1), reproducible from the seed',
    run: (rng) =>
      drawSamples(fc.tuple(SMALL_SHAPES, RNG_SEEDS), rng, 30).map(([shape, seed]) => ({
        shape,
        ...drawTwice(() => new UniformRandom(), shape, 3, 4, seed, 'UniformRandom.initialize'),
      })),
    verify: (samples) =>
      samples.forEach(({ shape, first, again }, i) => {
        const call = `sample ${i}: new UniformRandom().initialize(${JSON.stringify(shape)}, 3, 4, rng)`;
        expectShapeAndSeed(first, again, shape, call);
        const outside = first.data.findIndex((v) => !(v >= 0 && v < 1));
        if (outside >= 0)
          fail(`${call}: element ${outside} is ${first.data[outside]}; UniformRandom values must lie in [0, 1)`);
      }),
    hiddenRerun: true,
    matchReference: false,
  }),
  knownValue({
    title: 'draws from U[0, 1): mean 1/2, variance 1/12, range [0, 1) (50 000 values, fixed seed)',
    run: () =>
      describeDraw(new UniformRandom().initialize([200, 250], 5, 5, new Rng(99)), unit, 'UniformRandom.initialize'),
    verify: (summary) => {
      expect(summary.shape, 'new UniformRandom().initialize([200, 250], 5, 5, rng) shape').toEqual([200, 250]);
      expectDraw(
        summary,
        unit,
        'UniformRandom.initialize([200, 250], 5, 5, rng), which must draw from U[0, 1) (DESIGN §3)',
      );
    },
  }),
  property({
    title: 'draws from U[0, 1) for a shape and fans drawn from the seed (the fans change nothing)',
    run: (rng) => {
      const rows = intIn(rng, 100, 400);
      const shape = [rows, Math.ceil(60_000 / rows)];
      const [fanIn, fanOut] = [intIn(rng, 1, 999), intIn(rng, 1, 999)];
      return {
        shape,
        fanIn,
        fanOut,
        summary: describeDraw(
          new UniformRandom().initialize(shape, fanIn, fanOut, rng.fork()),
          unit,
          'UniformRandom.initialize',
        ),
      };
    },
    verify: ({ shape, fanIn, fanOut, summary }) => {
      const call = `new UniformRandom().initialize(${JSON.stringify(shape)}, ${fanIn}, ${fanOut}, rng)`;
      expect(summary.shape, `${call} shape`).toEqual(shape);
      expectDraw(summary, unit, `${call}, which must draw from U[0, 1) whatever the fans`);
    },
    hiddenRerun: true,
    matchReference: false,
  }),
]);
