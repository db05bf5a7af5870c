import fc from 'fast-check';
import { SgdMomentum } from '#impl/optimizers/sgd-momentum.js';
import trajectories from './reference/optimizer-trajectories.json' with { type: 'json' };
import { Parameter, Tensor } from '../../framework/index.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  finite,
  knownValue,
  property,
  tensorData,
} from '../harness/index.js';
import { momentumStepsUnderConstantGradient, optimizerChecks, problemRun } from '../helpers/optimizer-checks.js';

/**
 * Exercise 2, SgdMomentum (seed 004: 2427–2440, the algorithm box at 2435): v ← μ·v − η·g, w ← w + v,
 * v⁽⁰⁾ = 0. Handout: docs/exercises/2-convolutional.md#sgdmomentum
 */
export default componentChecks('ex2', 'SgdMomentum', [
  ...optimizerChecks({
    name: 'SgdMomentum',
    reference: trajectories,
    make: (options) => new SgdMomentum(options),
    rule: 'v ← μ·v − η·g, w ← w + v',
    makeDefault: () => new SgdMomentum({ lr: 0.1 }),
    readHyper: (optimizer) => ({ lr: optimizer.learningRate, momentum: optimizer.momentum }),
    defaults: { hyper: { lr: 0.1, momentum: 0.9 }, source: 'μ from 004: 2437; lr is required' },
    randomHyper: (rng) => ({ lr: rng.uniformIn(0.01, 0.5), momentum: rng.uniformIn(0, 0.95) }),
    refusals: [
      { options: { lr: -1 }, mentions: 'learning rate' },
      { options: { lr: 0.1, momentum: 1 }, mentions: 'momentum' },
      { options: { lr: 0.1, momentum: -0.5 }, mentions: 'momentum' },
    ],
    training: { hyper: { lr: 0.05 }, iterations: 100, accuracy: 0.8 },
  }),
  property({
    title: 'under a constant gradient g the step after k steps is −η·g·(1 − μᵏ)/(1 − μ) (a geometric series)',
    run: (rng) => momentumStepsUnderConstantGradient((hyper) => new SgdMomentum(hyper), rng, 'SgdMomentum.step'),
    verify: (samples) =>
      samples.forEach(({ g, lr, mu, k, previous, after }, i) => {
        const expected = (-lr * g * (1 - mu ** k)) / (1 - mu);
        expectClose(
          after - previous,
          expected,
          1e-12,
          `sample ${i}: μ = ${mu}, g = ${g}, step ${k}: the step is the velocity v ← μv − ηg (v⁽⁰⁾ = 0, kept between steps, and w ← w + v: a flipped sign goes uphill)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'with μ = 0 it is plain SGD: w ← w − η·g',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(finite(), { minLength: 1, maxLength: 5 }),
          fc.array(finite(), { minLength: 5, maxLength: 5 }),
        ),
        rng,
        40,
      ).map(([w, g]) => {
        const parameter = new Parameter('weight', new Tensor([w.length], Float64Array.from(w)), 'weight');
        parameter.accumulate(new Tensor([w.length], Float64Array.from(g.slice(0, w.length))));
        new SgdMomentum({ lr: 0.3, momentum: 0 }).step([parameter]);
        return { w, g: g.slice(0, w.length), after: tensorData(parameter.value, 'SgdMomentum.step') };
      }),
    verify: (samples) =>
      samples.forEach(({ w, g, after }, i) => {
        expectClose(
          after,
          { shape: [w.length], data: w.map((v, k) => v - 0.3 * g[k]) },
          1e-12,
          `sample ${i}: SgdMomentum({ lr: 0.3, momentum: 0 }) must be w − η·g`,
        );
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'by hand: w = 0.5, g = −0.5, η = 0.1, μ = 0.9 → v = 0.05, w = 0.55; then g = −0.45 → v = 0.09, w = 0.64 (004: 2435)',
    run: () =>
      problemRun(new SgdMomentum({ lr: 0.1, momentum: 0.9 }), trajectories.problem, 2, 'SgdMomentum.step').map(
        ([weight]) => weight.data[0],
      ),
    verify: ([first, second]) => {
      expectClose(first, 0.55, 1e-14, 'SgdMomentum first step: v = μ·0 − η·(−0.5) = 0.05, w = 0.5 + 0.05');
      expectClose(second, 0.64, 1e-14, 'SgdMomentum second step: v = μ·0.05 − η·(−0.45) = 0.09, w = 0.55 + 0.09');
    },
  }),
]);
