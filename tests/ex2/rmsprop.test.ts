import { RMSProp } from '#impl/optimizers/rmsprop.js';
import trajectories from './reference/optimizer-trajectories.json' with { type: 'json' };
import { componentChecks, expectClose, knownValue, property } from '../harness/index.js';
import { constantGradientRun, optimizerChecks, problemRun } from '../helpers/optimizer-checks.js';

/**
 * Exercise 2, RMSProp (extension; seed 004: 2487–2497, the box at 2491–2495): r ← ρ·r + (1 − ρ)·g⊙g,
 * w ← w − η·g/(√r + ε), r⁽⁰⁾ = 0, ε outside the root.
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export default componentChecks('ex2', 'RMSProp', [
  ...optimizerChecks({
    name: 'RMSProp',
    reference: trajectories,
    make: (options) => new RMSProp(options),
    rule: 'r ← ρ·r + (1 − ρ)·g², w ← w − η·g/(√r + ε)',
    makeDefault: () => new RMSProp(),
    readHyper: (optimizer) => ({ lr: optimizer.learningRate, rho: optimizer.rho, eps: optimizer.eps }),
    defaults: { hyper: { lr: 0.001, rho: 0.9, eps: 1e-6 }, source: 'ρ and η from 004: 2495, ε from 000: 2512' },
    randomHyper: (rng) => ({ lr: rng.uniformIn(0.001, 0.1), rho: rng.uniformIn(0.5, 0.99) }),
    refusals: [
      { options: { lr: -1 }, mentions: 'learning rate' },
      { options: { lr: 0.1, rho: 1 }, mentions: 'rho' },
      { options: { lr: 0.1, eps: 0 }, mentions: 'eps' },
    ],
    training: { hyper: { lr: 0.01 }, iterations: 100, accuracy: 0.8 },
  }),
  property({
    title: 'under a constant gradient step k is η·g/(√(1 − ρᵏ)·|g| + ε): r is a decaying average of g²',
    run: (rng) => {
      const hyper = { lr: rng.uniformIn(0.001, 0.1), rho: rng.uniformIn(0.5, 0.99) };
      const start = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n]).data));
      const gradients = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n], 0, rng.uniformIn(0.1, 3)).data));
      return { hyper, ...constantGradientRun(new RMSProp(hyper), start, gradients, 6, 'RMSProp.step') };
    },
    verify: ({ hyper, roles, gradients, values }) =>
      values.slice(1).forEach((after, step) => {
        after.forEach((value, p) => {
          const k = step + 1;
          const expected = values[step][p].data.map(
            (w, i) =>
              w - (hyper.lr * gradients[p][i]) / (Math.sqrt(1 - hyper.rho ** k) * Math.abs(gradients[p][i]) + 1e-6),
          );
          expectClose(
            value,
            { shape: value.shape, data: expected },
            1e-9,
            `RMSProp(${JSON.stringify(hyper)}) under a constant gradient, the ${roles[p]} after step ${k}: r = (1 − ρᵏ)·g² when r ← ρ·r + (1 − ρ)·g² (ρ weighs the old r, 1 − ρ the new g²)`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'by hand: the first step is η·g/(√((1 − ρ)·g²) + ε) ≈ η/√(1 − ρ)·sign(g) (004: 2491–2495)',
    // weight[0] = 0.5 with g = −0.5: 0.5 + 0.01·0.5/(√(0.1·0.25) + 1e-6).
    run: () =>
      problemRun(new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-6 }), trajectories.problem, 1, 'RMSProp.step')[0][0].data[0],
    verify: (w) =>
      expectClose(
        w,
        0.5 + (0.01 * 0.5) / (Math.sqrt(0.1 * 0.25) + 1e-6),
        1e-14,
        'RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-6 }): weight[0] after the first step, r = (1 − ρ)·g²',
      ),
  }),
]);
