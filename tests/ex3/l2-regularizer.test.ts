import { L2Regularizer } from '#impl/regularizers/l2-regularizer.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import { componentChecks, knownValue, training } from '../harness/index.js';
import { overfitRun, verifyOverfitShrinks } from '../helpers/overfitting.js';
import { expectOnlyWeightPenalised, regularizerChecks, sgdStepOnEachRole } from '../helpers/regularizer-checks.js';

/**
 * Exercise 3, L2Regularizer (weight decay): norm(w) = α·Σw² (reported as the regularization loss,
 * seed 004: 3648) and gradient(w) = α·w (what the optimizer applies: (1 − ηα)·w, 004: 3659). The kit's
 * convention (docs/conventions.md, as the FAU exercise): α·w is ∂/∂w of (α/2)·Σw², half the derivative
 * of norm. The optimizer (given) applies it to role 'weight' only, from the weights before the step.
 * The checks L1Regularizer shares are in tests/helpers/regularizer-checks.ts; this file adds the seed's
 * weight-decay step and what weight decay does to an overfitting network.
 * Handout: docs/exercises/3-regularization.md#l2regularizer
 */
export default componentChecks('ex3', 'L2Regularizer', [
  ...regularizerChecks({
    name: 'L2Regularizer',
    make: (alpha) => new L2Regularizer(alpha),
    makeNetwork: (options) => new NeuralNetwork(options),
    norm: { formula: 'α·Σw²', term: (w) => w * w, hint: '(no ½, no square root)' },
    gradient: { formula: 'α·w', term: (w) => w, hint: " (not 2α·w: the kit's convention, docs/conventions.md)" },
    normSlope: {
      factor: 2,
      rule: "gradient(w) must be α·w, half of ∂norm/∂w (the kit's convention, docs/conventions.md)",
    },
    byHand: {
      norm: 1.4,
      normSum: '0.1·(1 + 4 + 0 + 9)',
      gradient: [
        [0.1, -0.2],
        [0, 0.3],
      ],
      // −w − η·α·w_old = (−1 − 0.1, 2 + 0.2); a penalty taken after the step would give (−0.9, 1.8).
      flipped: [-1.1, 2.2],
      networkLoss: 3.125,
      networkSum: '0.5·(1 + 4 + 0.25 + 0 + 1)',
    },
  }),
  knownValue({
    title: 'one SGD step is weight decay, (1 − ηλ)·w − η·∂L/∂w (seed 004: 3659; 000: 1548), for role "weight" only',
    run: () => sgdStepOnEachRole(new L2Regularizer(0.2), 'PlainSgd.step with L2Regularizer(0.2)'),
    // (1 − 0.02)·w − 0.1·g: 0.49 − 0.1 = 0.39;  −1.47 − 0.1 = −1.57;  1.96 + 0.1 = 2.06;  0 − 0.2 = −0.2
    verify: (values) =>
      expectOnlyWeightPenalised(
        values,
        [
          [0.39, -1.57],
          [2.06, -0.2],
        ],
        'weights after one SGD step with L2Regularizer(0.2), lr 0.1',
      ),
  }),
  training({
    title:
      'an overfitting MLP on noisily labelled data has a smaller train–test gap and a better test accuracy with L2 than without (seeded)',
    // The setup is in tests/helpers/overfitting.ts (synthetic data: the grader cannot read data/).
    run: () => ({ plain: overfitRun(), regularized: overfitRun({ regularizer: new L2Regularizer(0.01) }) }),
    verify: (runs) =>
      verifyOverfitShrinks(runs.plain, runs.regularized, {
        plainName: 'the unregularized MLP',
        what: 'L2Regularizer(0.01)',
        gapMargin: 0.08,
      }),
  }),
]);
