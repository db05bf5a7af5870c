import fc from 'fast-check';
import { expect } from 'vitest';
import { Adam } from '#impl/optimizers/adam.js';
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
import { constantGradientRun, optimizerChecks, problemRun, valuesOf } from '../helpers/optimizer-checks.js';

/**
 * Exercise 2, Adam (seed 004: 2514–2529; the algorithm box is 000: 2534–2552): k ← k + 1,
 * v ← β₁v + (1 − β₁)g, r ← β₂r + (1 − β₂)g⊙g, v̂ = v/(1 − β₁ᵏ), r̂ = r/(1 − β₂ᵏ), w ← w − η·v̂/(√r̂ + ε).
 * Handout: docs/exercises/2-convolutional.md#adam
 */

/** The first step from rest, by hand: v̂ = g and r̂ = g², so w − η·g/(|g| + ε). */
const firstStep = (w: number, g: number, lr: number, eps = 1e-8): number => w - (lr * g) / (Math.abs(g) + eps);

export default componentChecks('ex2', 'Adam', [
  ...optimizerChecks({
    name: 'Adam',
    reference: trajectories,
    make: (options) => new Adam(options),
    rule: 'k ← k + 1, v ← β₁v + (1 − β₁)g, r ← β₂r + (1 − β₂)g², w ← w − η·v̂/(√r̂ + ε) with v̂ = v/(1 − β₁ᵏ), r̂ = r/(1 − β₂ᵏ)',
    makeDefault: () => new Adam(),
    readHyper: (adam) => ({ lr: adam.learningRate, beta1: adam.beta1, beta2: adam.beta2, eps: adam.eps }),
    defaults: { hyper: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, source: '004: 2527, 000: 2536–2538' },
    randomHyper: (rng) => ({
      lr: rng.uniformIn(0.001, 0.2),
      beta1: rng.uniformIn(0.5, 0.95),
      beta2: rng.uniformIn(0.9, 0.9999),
    }),
    refusals: [
      { options: { lr: -1 }, mentions: 'learning rate' },
      { options: { lr: 0.1, beta1: 1 }, mentions: 'beta1' },
      { options: { lr: 0.1, beta2: -0.1 }, mentions: 'beta2' },
      { options: { lr: 0.1, eps: 0 }, mentions: 'eps' },
    ],
    training: { hyper: { lr: 0.01 }, iterations: 100, accuracy: 0.8 },
  }),
  property({
    title: 'no first step moves an element by more than η (bias-corrected, ε outside the root)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(finite(), { minLength: 1, maxLength: 6 }),
          fc.array(finite(100), { minLength: 6, maxLength: 6 }),
        ),
        rng,
        40,
      ).map(([w, g]) => {
        const parameter = new Parameter('weight', new Tensor([w.length], Float64Array.from(w)), 'weight');
        parameter.accumulate(new Tensor([w.length], Float64Array.from(g.slice(0, w.length))));
        new Adam({ lr: 0.01 }).step([parameter]);
        return { w, g: g.slice(0, w.length), after: tensorData(parameter.value, 'Adam.step') };
      }),
    verify: (samples) =>
      samples.forEach(({ w, g, after }, i) => {
        after.data.forEach((v, k) => {
          const moved = Math.abs(v - w[k]);
          expect(
            moved,
            `sample ${i}: the first Adam({ lr: 0.01 }) step on g = ${g[k]} moved w[${k}] by ${moved}; with bias correction it is 0.01·|g|/(|g| + ε) ≤ η`,
          ).toBeLessThanOrEqual(0.01 * (1 + 1e-12));
        });
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'under a constant gradient every step is η·g/(|g| + ε): bias correction with k counted once per step, per optimizer',
    // With g constant, v = (1 − β₁ᵏ)·g and r = (1 − β₂ᵏ)·g², so v̂ = g and r̂ = g² at every step k, for every
    // parameter: a missing correction, a k that does not advance, or one that advances per parameter all show.
    run: (rng) => {
      const hyper = {
        lr: rng.uniformIn(0.001, 0.2),
        beta1: rng.uniformIn(0.5, 0.95),
        beta2: rng.uniformIn(0.9, 0.9999),
      };
      const start = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n]).data));
      const gradients = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n], 0, rng.uniformIn(0.1, 3)).data));
      return { hyper, ...constantGradientRun(new Adam(hyper), start, gradients, 5, 'Adam.step') };
    },
    verify: ({ hyper, roles, gradients, values }) =>
      values.slice(1).forEach((after, step) => {
        after.forEach((value, p) => {
          const expected = values[step][p].data.map((w, i) => firstStep(w, gradients[p][i], hyper.lr));
          expectClose(
            value,
            { shape: value.shape, data: expected },
            1e-9,
            `Adam(${JSON.stringify(hyper)}) under a constant gradient, the ${roles[p]} after step ${step + 1} (expected w − η·g/(|g| + ε): v̂ = g and r̂ = g² when k counts this optimizer's steps)`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'by hand: bias correction makes the first step η·g/(|g| + ε) ≈ η·sign(g) (000: 2534–2552)',
    // v̂ = g, r̂ = g²: weight[1] = −1.5 with g = 4·(−1.5 − 0.5) = −8 → −1.5 + 0.1·8/(8 + 1e-8).
    // Without the correction v = 0.1·g and r = 0.001·g², a step of 0.1·0.8/√0.064 ≈ 0.316.
    run: () => problemRun(new Adam({ lr: 0.1 }), trajectories.problem, 1, 'Adam.step')[0],
    verify: ([weight, bias]) => {
      expectClose(
        weight.data[1],
        -1.5 + (0.1 * 8) / (8 + 1e-8),
        1e-14,
        'Adam({ lr: 0.1 }): weight[1] after the first step (v̂ = v/(1 − β₁¹), r̂ = r/(1 − β₂¹))',
      );
      const gradient = (name: 'weight' | 'bias', values: readonly number[]) =>
        values.map((p, i) => trajectories.problem.curvature[name][i] * (p - trajectories.problem.target[name][i]));
      const [gw, gb] = [
        gradient('weight', trajectories.problem.start.weight),
        gradient('bias', trajectories.problem.start.bias),
      ];
      expectClose(
        weight,
        { shape: [4], data: trajectories.problem.start.weight.map((w, i) => firstStep(w, gw[i], 0.1)) },
        1e-14,
        'Adam({ lr: 0.1 }): the weight after the first step, w − η·g/(|g| + ε)',
      );
      expectClose(
        bias,
        { shape: [2], data: trajectories.problem.start.bias.map((w, i) => firstStep(w, gb[i], 0.1)) },
        1e-14,
        'Adam({ lr: 0.1 }): the bias after the first step, w − η·g/(|g| + ε)',
      );
    },
  }),
  knownValue({
    title:
      'a tiny gradient (1e-6) still moves the first step by η·g/(|g| + ε) ≈ 0.99·η: ε sits outside the square root (000: 2534–2552)',
    // ε inside the root would give η·g/√(g² + ε) ≈ 0.01·η.
    run: () => {
      const parameter = new Parameter('weight', new Tensor([3], Float64Array.of(0.5, -0.5, 2)), 'weight');
      parameter.accumulate(new Tensor([3], Float64Array.of(1e-6, -1e-6, 3e-7)));
      new Adam({ lr: 0.01 }).step([parameter]);
      return tensorData(parameter.value, 'Adam.step');
    },
    verify: (after) =>
      expectClose(
        after,
        [firstStep(0.5, 1e-6, 0.01), firstStep(-0.5, -1e-6, 0.01), firstStep(2, 3e-7, 0.01)],
        1e-13,
        'Adam({ lr: 0.01 }) on gradients (1e-6, −1e-6, 3e-7): w − η·v̂/(√r̂ + ε), with ε added after the square root',
      ),
  }),
  knownValue({
    title: 'by hand, second step: k = 2 in the bias correction (000: 2534–2552)',
    // One weight w = 0, g = 1 then g = −1, η = 0.1: v = (0.1, −0.09·…); v̂₂ = (0.9·0.1 − 0.1)/(1 − 0.81) = −0.01/0.19,
    // r̂₂ = (0.999·0.001 + 0.001)/(1 − 0.998001) = 1.
    run: () => {
      const parameters = [new Parameter('weight', new Tensor([1], Float64Array.of(0)), 'weight')];
      const adam = new Adam({ lr: 0.1 });
      for (const g of [1, -1]) {
        parameters[0].zeroGrad();
        parameters[0].accumulate(new Tensor([1], Float64Array.of(g)));
        adam.step(parameters);
      }
      return valuesOf(parameters, 'Adam.step')[0];
    },
    verify: (after) => {
      const first = -0.1 / (1 + 1e-8);
      const vHat = (0.9 * 0.1 - 0.1) / (1 - 0.81);
      const rHat = (0.999 * 0.001 + 0.001) / (1 - 0.999 ** 2);
      expectClose(
        after,
        [first - (0.1 * vHat) / (Math.sqrt(rHat) + 1e-8)],
        1e-12,
        'Adam({ lr: 0.1 }) after g = 1 then g = −1: w₂ = w₁ − η·v̂₂/(√r̂₂ + ε) with v̂₂ = v₂/(1 − β₁²), r̂₂ = r₂/(1 − β₂²)',
      );
    },
  }),
]);
