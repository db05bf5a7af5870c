import { Nesterov } from '#impl/optimizers/nesterov.js';
import trajectories from './reference/optimizer-trajectories.json' with { type: 'json' };
import { componentChecks, expectClose, knownValue, property } from '../harness/index.js';
import { momentumStepsUnderConstantGradient, optimizerChecks, problemRun } from '../helpers/optimizer-checks.js';

/**
 * Exercise 2, Nesterov (extension; seed 004: 2447–2454, the rewrite "to use the conventional
 * gradient" at 2452–2454): v ← μ·v − η·g, w ← w − μ·v_old + (1 + μ)·v, v⁽⁰⁾ = 0.
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export default componentChecks('ex2', 'Nesterov', [
  ...optimizerChecks({
    name: 'Nesterov',
    reference: trajectories,
    make: (options) => new Nesterov(options),
    rule: 'v ← μ·v − η·g, w ← w − μ·v_old + (1 + μ)·v',
    makeDefault: () => new Nesterov({ lr: 0.1 }),
    readHyper: (optimizer) => ({ lr: optimizer.learningRate, momentum: optimizer.momentum }),
    defaults: { hyper: { lr: 0.1, momentum: 0.9 }, source: 'μ as SgdMomentum, 004: 2437; lr is required' },
    randomHyper: (rng) => ({ lr: rng.uniformIn(0.01, 0.5), momentum: rng.uniformIn(0, 0.95) }),
    refusals: [
      { options: { lr: -1 }, mentions: 'learning rate' },
      { options: { lr: 0.1, momentum: 1 }, mentions: 'momentum' },
    ],
    training: { hyper: { lr: 0.05 }, iterations: 100, accuracy: 0.8 },
  }),
  property({
    title: 'under a constant gradient g step k moves w by (1 + μ)·vₖ − μ·vₖ₋₁ with vₖ = −η·g·(1 − μᵏ)/(1 − μ)',
    run: (rng) => momentumStepsUnderConstantGradient((hyper) => new Nesterov(hyper), rng, 'Nesterov.step'),
    verify: (samples) =>
      samples.forEach(({ g, lr, mu, k, previous, after }, i) => {
        const velocity = (steps: number): number => (-lr * g * (1 - mu ** steps)) / (1 - mu);
        const expected = (1 + mu) * velocity(k) - mu * velocity(k - 1);
        expectClose(
          after - previous,
          expected,
          1e-12,
          `sample ${i}: μ = ${mu}, g = ${g}, step ${k}: Nesterov moves w by −μ·v_old + (1 + μ)·v (keep v between steps)`,
        );
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'by hand: the first step from rest is w − (1 + μ)·η·g (004: 2452–2454)',
    // w = 0.5, g = −0.5, η = 0.1, μ = 0.9: 0.5 + 1.9 · 0.05 = 0.595 (plain momentum would give 0.55).
    run: () =>
      problemRun(new Nesterov({ lr: 0.1, momentum: 0.9 }), trajectories.problem, 1, 'Nesterov.step')[0][0].data[0],
    verify: (w) => expectClose(w, 0.595, 1e-14, 'Nesterov first step: v = 0.05, w = 0.5 − 0.9·0 + 1.9·0.05'),
  }),
]);
