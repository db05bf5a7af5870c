import { AdaGrad } from '#impl/optimizers/adagrad.js';
import trajectories from './reference/optimizer-trajectories.json' with { type: 'json' };
import { componentChecks, expectClose, knownValue, property } from '../harness/index.js';
import { constantGradientRun, optimizerChecks, problemRun } from '../helpers/optimizer-checks.js';

/**
 * Exercise 2, AdaGrad (extension; seed 004: 2466–2485, the box at 2475–2479): r ← r + g⊙g,
 * w ← w − η·g/(√r + ε), r⁽⁰⁾ = 0, ε outside the root.
 * Handout: docs/exercises/2-convolutional.md#extensions-nesterov-adagrad-rmsprop-adamw
 */
export default componentChecks('ex2', 'AdaGrad', [
  ...optimizerChecks({
    name: 'AdaGrad',
    reference: trajectories,
    make: (options) => new AdaGrad(options),
    rule: 'r ← r + g², w ← w − η·g/(√r + ε)',
    makeDefault: () => new AdaGrad(),
    readHyper: (optimizer) => ({ lr: optimizer.learningRate, eps: optimizer.eps }),
    defaults: { hyper: { lr: 0.01, eps: 1e-7 }, source: 'ε from 000: 2482; lr as PyTorch' },
    randomHyper: (rng) => ({ lr: rng.uniformIn(0.01, 0.5) }),
    refusals: [
      { options: { lr: -1 }, mentions: 'learning rate' },
      { options: { lr: 0.1, eps: 0 }, mentions: 'eps' },
    ],
    training: { hyper: { lr: 0.1 }, iterations: 100, accuracy: 0.8 },
  }),
  property({
    title:
      'under a constant gradient step k is η·g/(√k·|g| + ε): the squares accumulate, so the steps shrink like 1/√k',
    run: (rng) => {
      const lr = rng.uniformIn(0.01, 0.5);
      const start = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n]).data));
      const gradients = [4, 3, 2].map((n) => Array.from(rng.normalTensor([n], 0, rng.uniformIn(0.1, 3)).data));
      return { lr, ...constantGradientRun(new AdaGrad({ lr }), start, gradients, 6, 'AdaGrad.step') };
    },
    verify: ({ lr, roles, gradients, values }) =>
      values.slice(1).forEach((after, step) => {
        after.forEach((value, p) => {
          const k = step + 1;
          const expected = values[step][p].data.map(
            (w, i) => w - (lr * gradients[p][i]) / (Math.sqrt(k) * Math.abs(gradients[p][i]) + 1e-7),
          );
          expectClose(
            value,
            { shape: value.shape, data: expected },
            1e-9,
            `AdaGrad({ lr: ${lr} }) under a constant gradient, the ${roles[p]} after step ${k}: r = k·g², so the step is η·g/(√k·|g| + ε) (r ← r + g², kept per parameter)`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'by hand: the first step is η·g/(|g| + ε) ≈ η·sign(g), whatever the size of g (004: 2475–2479)',
    // weight[1] = −1.5 with g = 4·(−1.5 − 0.5) = −8: −1.5 + 0.5·8/(8 + 1e-7).
    run: () => problemRun(new AdaGrad({ lr: 0.5, eps: 1e-7 }), trajectories.problem, 1, 'AdaGrad.step')[0][0].data[1],
    verify: (w) =>
      expectClose(
        w,
        -1.5 + (0.5 * 8) / (8 + 1e-7),
        1e-14,
        'AdaGrad({ lr: 0.5, eps: 1e-7 }): weight[1] after the first step, r = g², w − η·g/(√r + ε)',
      ),
  }),
]);
