import { AdamW } from '#impl/optimizers/adamw.js';
import trajectories from './reference/optimizer-trajectories.json' with { type: 'json' };
import { Parameter, Tensor } from '../../framework/index.js';
import { componentChecks, expectClose, knownValue, property } from '../harness/index.js';
import { constantGradientRun, optimizerChecks, valuesOf } from '../helpers/optimizer-checks.js';

/**
 * Exercise 2, AdamW (extension; seed 000: 1574–1582): Adam (004: 2514–2529) plus the decoupled decay
 * w ← w − η·λ·w_old on weights only, never through the gradient or the moments.
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 *
 * Only AdamW is used here, never the student's Adam: whatever AdamW reuses, these checks compare with
 * the independent reference script and the rule written out in tests/helpers/optimizer-definitions.ts,
 * so a broken Adam costs Adam's points, not AdamW's (unless AdamW itself inherits the mistake).
 */
export default componentChecks('ex2', 'AdamW', [
  ...optimizerChecks({
    name: 'AdamW',
    reference: trajectories,
    make: (options) => new AdamW(options),
    rule: "Adam's step w − η·v̂/(√r̂ + ε), then − η·λ·w_old on weights only",
    makeDefault: () => new AdamW(),
    readHyper: (optimizer) => ({
      lr: optimizer.learningRate,
      beta1: optimizer.beta1,
      beta2: optimizer.beta2,
      eps: optimizer.eps,
      weightDecay: optimizer.weightDecay,
    }),
    defaults: {
      hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
      source: "Adam's from 004: 2527; λ as PyTorch",
    },
    randomHyper: (rng) => ({
      lr: rng.uniformIn(0.001, 0.2),
      beta1: rng.uniformIn(0.5, 0.95),
      beta2: rng.uniformIn(0.9, 0.9999),
      weightDecay: rng.uniformIn(0.01, 0.5),
    }),
    still: { lr: 0.1, weightDecay: 0 },
    refusals: [
      { options: { lr: -1 }, mentions: 'learning rate' },
      { options: { lr: 0.1, weightDecay: -0.5 }, mentions: 'weightDecay' },
      { options: { lr: 0.1, beta1: 1 }, mentions: 'beta1' },
    ],
    training: { hyper: { lr: 0.01 }, iterations: 100, accuracy: 0.8 },
  }),
  property({
    title:
      'under a constant gradient every step is w − η·g/(|g| + ε) − η·λ·w on weights, without the decay on biases and scales',
    // v̂ = g and r̂ = g² at every step when k counts the steps; the decay adds −η·λ·w_old to weights only.
    run: (rng) => {
      const hyper = {
        lr: rng.uniformIn(0.001, 0.2),
        beta1: rng.uniformIn(0.5, 0.95),
        beta2: rng.uniformIn(0.9, 0.9999),
        weightDecay: rng.uniformIn(0.01, 0.5),
      };
      const start = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n]).data));
      const gradients = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n], 0, rng.uniformIn(0.1, 3)).data));
      return { hyper, ...constantGradientRun(new AdamW(hyper), start, gradients, 5, 'AdamW.step') };
    },
    verify: ({ hyper, roles, gradients, values }) =>
      values.slice(1).forEach((after, step) => {
        after.forEach((value, p) => {
          const decay = roles[p] === 'weight' ? hyper.lr * hyper.weightDecay : 0;
          const expected = values[step][p].data.map(
            (w, i) => w - (hyper.lr * gradients[p][i]) / (Math.abs(gradients[p][i]) + 1e-8) - decay * w,
          );
          expectClose(
            value,
            { shape: value.shape, data: expected },
            1e-9,
            `AdamW(${JSON.stringify(hyper)}) under a constant gradient, the ${roles[p]} after step ${step + 1} (Adam's bias-corrected step, then − η·λ·w_old for weights only)`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'with zero gradients, weights shrink by (1 − η·λ) per step and biases do not move (decoupled decay, weights only; 000: 1574–1582)',
    // Decay through the gradient (g + λw) would instead move every element by about η per step, biases too.
    run: () => {
      const weight = new Parameter('weight', new Tensor([2], Float64Array.of(2, -4)), 'weight');
      const bias = new Parameter('bias', new Tensor([1], Float64Array.of(3)), 'bias');
      const optimizer = new AdamW({ lr: 0.1, weightDecay: 0.5 });
      for (let step = 0; step < 3; step++) optimizer.step([weight, bias]);
      return valuesOf([weight, bias], 'AdamW.step');
    },
    verify: ([weight, bias]) => {
      expectClose(
        weight,
        [2 * 0.95 ** 3, -4 * 0.95 ** 3],
        1e-14,
        'AdamW({ lr: 0.1, weightDecay: 0.5 }): a weight after 3 steps on ∂L/∂w = 0 is w·(1 − η·λ)³; the decay is subtracted from w, not added to the gradient',
      );
      expectClose(bias, [3], 0, "AdamW: the decay must skip biases (role 'bias')");
    },
  }),
]);
