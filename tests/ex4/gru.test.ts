import { expect } from 'vitest';
import { tensor, zeros } from '../../framework/index.js';
import { GRU } from '#impl/layers/gru.js';
import { componentChecks, knownValue, training } from '../harness/index.js';
import { expectKnownOutput } from '../helpers/recurrent-definition.js';
import { sharedRecurrentChecks } from '../helpers/recurrent-checks.js';
import { forwardPass, layerWithWeights, parameterNamed, type RecurrentLayerLike } from '../helpers/recurrent-passes.js';
import { memoryTaskAccuracy, memoryTaskLayer, trainOnMemoryTask } from '../helpers/recurrent-training.js';

/**
 * Exercise 4, GRU (extension; 004: 6318–6395), gate order r, z, n in Wx [in, 3H], Wh [H, 3H], b [3H]:
 * r = σ(x·Wx_r + h·Wh_r + b_r), z = σ(x·Wx_z + h·Wh_z + b_z), n = tanh(x·Wx_n + (r⊙h)·Wh_n + b_n),
 * h_t = (1 − z)⊙h_{t−1} + z⊙n (the seed's convention: z weighs the proposal), y_t = h_t·Why + by.
 * Handout: docs/exercises/4-recurrent.md#gru. The definition the checks compare with is written out
 * with loops in tests/helpers/recurrent-definition.ts (it also names PyTorch's conventions when it
 * sees them); the checks all recurrent layers share are in tests/helpers/recurrent-checks.ts.
 */

/**
 * Holds the update gate at z = σ(50) = 1 exactly (its block H…2H−1 of b at 50, of Wx at 0; 50 and not
 * more, as σ written eᵃ/(1 + eᵃ) would overflow), so that with Wh = 0 the step
 * h_t = (1 − z)⊙h_{t−1} + z⊙n_t = n_t depends on x_t alone.
 */
function holdUpdateGateAtOne(layer: RecurrentLayerLike): void {
  const [Wx, b] = [parameterNamed(layer, 'GRU', 'Wx'), parameterNamed(layer, 'GRU', 'b')];
  const [weights, bias] = [Wx.value.clone(), b.value.clone()];
  const H = layer.hiddenSize;
  for (let j = H; j < 2 * H; j++) {
    bias.data[j] = 50;
    for (let i = 0; i < layer.inputSize; i++) weights.data[i * 3 * H + j] = 0;
  }
  Wx.assign(weights);
  b.assign(bias);
}

export default componentChecks('ex4', 'GRU', [
  ...sharedRecurrentChecks({
    kind: 'GRU',
    Layer: GRU,
    threshold: 1e-5,
    oneStep: {
      title:
        'a length-1 sequence from initialState equals one GRU step (r, z, n; r multiplies h_{t−1} before Wh_n; 004: 6355–6382)',
      weight: 2,
    },
    gate: {
      title: 'an update gate held at 1',
      says: 'z = 1 (columns H…2H−1 of b at 50: h_t = (1 − z)⊙h_{t−1} + z⊙n_t must be n_t)',
      apply: holdUpdateGateAtOne,
    },
    // tests/ex4/reference/recurrent_reference.py and its output recurrent_reference.out ("GRU output", "GRU gradient of …").
    reference: {
      weights: {
        Wx: tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3], [2, 6]),
        Wh: tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3], [2, 6]),
        b: tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2], [6]),
      },
      output: [
        [
          [-0.243414246478, 0.58538858818],
          [0.055287117118, 0.253068082338],
          [0.283398894697, -0.309225882152],
        ],
        [
          [0.20840212341, -0.258063819166],
          [-0.062988474556, 0.27968177326],
          [-0.019048222251, 0.294844282095],
        ],
      ],
      gradients: {
        dx: [
          [
            [-0.120370795, 0.182201334],
            [-0.047004378, 0.056877955],
            [0.462308675, -0.432648152],
          ],
          [
            [0.237674879, -0.154031545],
            [0.128315706, 0.076591518],
            [-0.371775125, 0.268005571],
          ],
        ],
        grads: {
          Wx: [
            [-0.011651781, -0.018158636, 0.01539185, 0.451329139, 1.017032842, -0.534840979],
            [-0.006136816, 0.011900645, -0.004559227, -0.244330385, -0.367762658, 0.50923297],
          ],
          Wh: [
            [0.00803468, -0.003941565, -0.020965895, 0.065312247, -0.040857502, 0.041896312],
            [-0.006108936, 0.007221919, -0.021114152, -0.138574187, 0.021861479, 0.111997185],
          ],
          b: [-0.011972029, 0.014509951, -0.247118461, -0.230044238, 0.703997805, 1.352333818],
          Why: [
            [-1.043838227, 0.752619494],
            [1.13506034, -0.451885809],
          ],
          by: [2.3, 1.55],
        },
        dh0: [
          [0.224291888, 0.061654869],
          [-0.166282713, 0.17053556],
        ],
      },
    },
  }),
  knownValue({
    title: 'one scalar step worked by hand from h_0 = 0.5: z weighs the proposal, h_1 = (1 − z)·h_0 + z·n (004: 6382)',
    weight: 2,
    // x = 1, h_0 = 0.5, Wx = (1, 2, 0.5) for (r, z, n), Wh = (0, 0, 1), b = 0, Why = 1, by = 0:
    // r = σ(1) = 0.731058579, z = σ(2) = 0.880797078, n = tanh(0.5·1 + (r·h_0)·1) = 0.699095548,
    // h_1 = (1 − z)·0.5 + z·n = 0.675362777 = y. (PyTorch's z·h_0 + (1 − z)·n would give 0.523732771.)
    run: () => {
      const layer = layerWithWeights(
        'GRU',
        GRU,
        { inputSize: 1, hiddenSize: 1, outputSize: 1 },
        {
          Wx: tensor([1, 2, 0.5], [1, 3]),
          Wh: tensor([0, 0, 1], [1, 3]),
          b: zeros([3]),
          Why: tensor([1], [1, 1]),
          by: zeros([1]),
        },
      );
      layer.initialState = tensor([0.5], [1, 1]);
      return forwardPass('GRU', layer, tensor([1], [1, 1, 1]));
    },
    verify: (pass) =>
      expectKnownOutput('GRU', pass, [[[0.6753627768925172]]], 1e-12, 'scalar GRU output h_1 = (1 − z)·h_0 + z·n'),
  }),
  training({
    title: 'learns to recall a symbol over 6 steps of distractors to ≥ 0.95 accuracy',
    weight: 2,
    run: () => trainOnMemoryTask(memoryTaskLayer(GRU), { length: 7, batch: 16, iterations: 100 }),
    verify: (result) => {
      const accuracy = memoryTaskAccuracy(result, 'GRU');
      expect(
        accuracy,
        `GRU accuracy recalling the first of 7 symbols was ${accuracy} (chance 0.125); check backward through time`,
      ).toBeGreaterThanOrEqual(0.95);
    },
    matchReference: false,
  }),
]);
