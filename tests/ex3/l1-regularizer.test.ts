import { expect } from 'vitest';
import { L1Regularizer } from '#impl/regularizers/l1-regularizer.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import { matmul, Parameter, Rng, scale, sub, tensor, transpose } from '../../framework/index.js';
import { componentChecks, knownValue, tensorData, training, type TensorData } from '../harness/index.js';
import { expectOnlyWeightPenalised, regularizerChecks, sgdStepOnEachRole } from '../helpers/regularizer-checks.js';
import { PlainSgd } from '../helpers/test-optimizers.js';

/**
 * Exercise 3, L1Regularizer: norm(w) = α·Σ|w| (seed 004: 3673), gradient(w) = α·sign(w), 0 at w = 0
 * (its subgradient, 004: 3684). The optimizer (given: framework/nn/optimizer.ts) applies it to role
 * 'weight' only, from the weights before the step. The checks L2Regularizer shares are in
 * tests/helpers/regularizer-checks.ts; this file adds the seed's shrinkage step and the sparsity L1 brings.
 * Handout: docs/exercises/3-regularization.md#l1regularizer
 */

const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);

export default componentChecks('ex3', 'L1Regularizer', [
  ...regularizerChecks({
    name: 'L1Regularizer',
    make: (alpha) => new L1Regularizer(alpha),
    makeNetwork: (options) => new NeuralNetwork(options),
    norm: { formula: 'α·Σ|w|', term: Math.abs, hint: '(the absolute values, summed over every element)' },
    gradient: {
      formula: 'α·sign(w)',
      term: sign,
      hint: ', and 0 at w = 0 (the subgradient the seed chooses, 004: 3684)',
    },
    normSlope: { factor: 1, rule: 'gradient(w) must be ∂norm/∂w = α·sign(w)' },
    byHand: {
      norm: 0.6,
      normSum: '0.1·(1 + 2 + 0 + 3)',
      gradient: [
        [0.1, -0.1],
        [0, 0.1],
      ],
      // −w − η·α·sign(w_old) = (−1 − 0.1, 2 + 0.1); a penalty taken after the step would give (−0.9, 1.9).
      flipped: [-1.1, 2.1],
      networkLoss: 2.25,
      networkSum: '0.5·(1 + 2 + 0.5 + 0 + 1)',
    },
  }),
  knownValue({
    title: 'one SGD step is w − η·λ·sign(w) − η·∂L/∂w (seed 004: 3684, "Other shrinkage"), for role "weight" only',
    run: () => sgdStepOnEachRole(new L1Regularizer(0.2), 'PlainSgd.step with L1Regularizer(0.2)'),
    // 0.5 − 0.1·0.2·1 − 0.1·1 = 0.38;  −1.5 + 0.02 − 0.1 = −1.58;  2 − 0.02 + 0.1 = 2.08;  0 − 0 − 0.2 = −0.2
    verify: (values) =>
      expectOnlyWeightPenalised(
        values,
        [
          [0.38, -1.58],
          [2.08, -0.2],
        ],
        'weights after one SGD step with L1Regularizer(0.2), lr 0.1 (the penalty at w = 0 must be 0)',
      ),
  }),
  training({
    title: 'L1 drives the weights of irrelevant features to (almost) zero in a seeded regression',
    // y = 3·x0 − 2·x1 + noise; features 2…9 are irrelevant. Gradient descent on ½·mean squared error.
    run: () => {
      const rng = new Rng(11);
      const samples = 30;
      const x = rng.normalTensor([samples, 10]);
      const truth = tensor([3, -2, 0, 0, 0, 0, 0, 0, 0, 0], [10, 1]);
      const y = matmul(x, truth);
      for (let i = 0; i < samples; i++) y.data[i] += 0.5 * rng.normal();
      const trainWith = (alpha: number): TensorData => {
        const weight = new Parameter('weight', new Rng(5).normalTensor([10, 1]), 'weight');
        const optimizer = new PlainSgd({ lr: 0.05, regularizer: alpha > 0 ? new L1Regularizer(alpha) : undefined });
        for (let step = 0; step < 600; step++) {
          optimizer.zeroGrad([weight]);
          weight.accumulate(scale(matmul(transpose(x), sub(matmul(x, weight.value), y)), 1 / samples));
          optimizer.step([weight]);
        }
        return tensorData(weight.value, 'weights after training with L1Regularizer');
      };
      return { plain: trainWith(0), sparse: trainWith(0.2) };
    },
    verify: ({ plain, sparse }) => {
      const irrelevant = (w: TensorData): number => w.data.slice(2).reduce((total, v) => total + Math.abs(v), 0) / 8;
      expect(
        irrelevant(plain),
        'without a penalty the irrelevant weights stay away from 0; if not, the setup is broken',
      ).toBeGreaterThan(0.02);
      expect(
        irrelevant(sparse),
        `L1Regularizer: mean |w| of the irrelevant features is ${irrelevant(sparse)} with L1 and ${irrelevant(plain)} without; L1 should push them towards 0`,
      ).toBeLessThan(0.25 * irrelevant(plain));
      expect(
        Math.abs(sparse.data[0]),
        'L1Regularizer: the relevant weight w0 (true value 3) should survive',
      ).toBeGreaterThan(2);
    },
  }),
]);
