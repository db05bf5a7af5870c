import { expect } from 'vitest';
import { tensor } from '../../framework/index.js';
import { RNN } from '#impl/layers/rnn.js';
import { componentChecks, expectClose, fail, knownValue, training } from '../harness/index.js';
import { expectKnownOutput } from '../helpers/recurrent-definition.js';
import { sharedRecurrentChecks } from '../helpers/recurrent-checks.js';
import { backwardRecord, forwardPass, layerWithWeights } from '../helpers/recurrent-passes.js';
import { MEMORY_TASK, memoryTaskAccuracy, memoryTaskLayer, trainOnMemoryTask } from '../helpers/recurrent-training.js';

/**
 * Exercise 4, RNN (Elman): h_t = tanh(x_t·Wxh + h_{t−1}·Whh + bh), y_t = h_t·Why + by; backward through
 * time sums the shared weights' gradients over t and leaves ∂L/∂h_0 in gradInitialState.
 * Handout: docs/exercises/4-recurrent.md#rnn. The definition the checks compare with is written out
 * with loops in tests/helpers/recurrent-definition.ts; the checks all recurrent layers share are in
 * tests/helpers/recurrent-checks.ts.
 */

/** The scalar RNN of the handout: Wxh = 0.5, Whh = 1, bh = 0, Why = 2, by = 0.1. */
const scalarRnn = () =>
  layerWithWeights(
    'RNN',
    RNN,
    { inputSize: 1, hiddenSize: 1, outputSize: 1 },
    {
      Wxh: tensor([0.5], [1, 1]),
      Whh: tensor([1], [1, 1]),
      bh: tensor([0], [1]),
      Why: tensor([2], [1, 1]),
      by: tensor([0.1], [1]),
    },
  );

export default componentChecks('ex4', 'RNN', [
  ...sharedRecurrentChecks({
    kind: 'RNN',
    Layer: RNN,
    threshold: 1e-6,
    oneStep: { title: 'a length-1 sequence from initialState equals one Elman step (004: 5895, 5910)', weight: 1 },
    // tests/ex4/reference/recurrent_reference.py and its output recurrent_reference.out ("RNN output", "RNN gradient of …").
    reference: {
      weights: {
        Wxh: tensor([0.5, -0.3, 0.8, 0.1], [2, 2]),
        Whh: tensor([0.9, -0.2, 0.4, 0.6], [2, 2]),
        bh: tensor([0.1, -0.05], [2]),
      },
      output: [
        [
          [0.112172931706, -0.52090419412],
          [0.472550352379, -0.653040181919],
          [0.368629291121, -0.30499206848],
        ],
        [
          [0.561400184131, -0.341556610618],
          [0.455314752101, -0.662209839644],
          [0.461706618727, -0.763184288864],
        ],
      ],
      gradients: {
        dx: [
          [
            [0.248404476, 0.485881506],
            [-0.053540127, -0.071143511],
            [-0.854479511, -0.323700233],
          ],
          [
            [-0.300489845, -0.046340814],
            [-0.077633645, 0.350848028],
            [0.262512007, 0.148264843],
          ],
        ],
        grads: {
          Wxh: [
            [1.43604611, -1.3713756],
            [-0.864765926, 1.29264386],
          ],
          Whh: [
            [-0.048683627, 1.520619698],
            [0.165656904, -0.368541329],
          ],
          bh: [0.295242349, 3.076159393],
          Why: [
            [1.069689436, 0.58700471],
            [-1.011039258, 0.243875488],
          ],
          by: [2.3, 1.55],
        },
        dh0: [
          [0.49896888, 0.326800906],
          [-0.286208274, 0.388801344],
        ],
      },
    },
  }),
  knownValue({
    title: 'a scalar RNN worked by hand (docs/exercises/4-recurrent.md#rnn): y_1, y_2',
    // h1 = tanh(0.5) = 0.462117157, h2 = tanh(1 + 0.462117157) = 0.898063011, y = 2h + 0.1.
    run: () => forwardPass('RNN', scalarRnn(), tensor([1, 2], [1, 2, 1])),
    verify: (pass) =>
      expectKnownOutput(
        'RNN',
        pass,
        [[[1.0242343145200195], [1.8961260229217916]]],
        1e-12,
        'scalar RNN outputs y1, y2 (y_2 needs h_1 carried into step 2)',
      ),
  }),
  knownValue({
    title: 'the scalar RNN backward through two steps, worked by hand: the gradient of y_2 reaches x_1 and h_0',
    // Upstream (0, 1): only y_2 matters. δu_2 = Why·(1 − h2²) = 0.386965655, δu_1 = δu_2·Whh·(1 − h1²) = 0.304328262;
    // ∂L/∂x = 0.5·(δu_1, δu_2); ∇Wxh = 1·δu_1 + 2·δu_2, ∇Whh = h0·δu_1 + h1·δu_2, ∇bh = δu_1 + δu_2, ∇Why = h2,
    // ∇by = 1, ∂L/∂h_0 = δu_1·Whh. Cut after one step, ∂L/∂x_1 and ∂L/∂h_0 would be 0.
    run: () => {
      const layer = scalarRnn();
      layer.forward(tensor([1, 2], [1, 2, 1]));
      return backwardRecord('RNN', layer, tensor([0, 1], [1, 2, 1]));
    },
    verify: ({ dx, grads, dh0 }) => {
      expectClose(
        dx,
        [[[0.15216413101257695], [0.19348282744578704]]],
        1e-12,
        'RNN.backward: ∂L/∂x_1, ∂L/∂x_2 (∂L/∂x_1 is 0 if the gradient does not flow from step 2 back to step 1)',
      );
      expectClose(grads.Wxh, [[1.0782595718083021]], 1e-12, 'Wxh.grad = Σ_t x_t·δu_t');
      expectClose(grads.Whh, [[0.1788234683957522]], 1e-12, 'Whh.grad = Σ_t h_{t−1}·δu_t');
      expectClose(grads.bh, [0.691293916916728], 1e-12, 'bh.grad = Σ_t δu_t');
      expectClose(grads.Why, [[0.8980630114608957]], 1e-12, 'Why.grad = Σ_t h_t·E_t');
      expectClose(grads.by, [1], 1e-12, 'by.grad = Σ_t E_t');
      if (!dh0) fail('RNN.backward left gradInitialState undefined: set it to ∂L/∂h_0 = δu_1·Whhᵀ');
      expectClose(dh0, [[0.3043282620251539]], 1e-12, 'gradInitialState = ∂L/∂h_0 = δu_1·Whhᵀ');
    },
  }),
  training({
    title: `learns to recall a symbol over 4 steps, but stays below 0.8 over ${MEMORY_TASK.length - 1} (the LSTM's memory task; vanishing gradients, 004: 6143–6148)`,
    weight: 2,
    // The same loop trains the LSTM (ex4 LSTM) and the GRU (ex4 GRU); only the layer is the student's.
    run: () => ({
      short: trainOnMemoryTask(memoryTaskLayer(RNN), { length: 5, batch: 16, iterations: 60 }),
      long: trainOnMemoryTask(memoryTaskLayer(RNN)),
    }),
    verify: ({ short, long }) => {
      const shortAccuracy = memoryTaskAccuracy(short, 'RNN');
      expect(
        shortAccuracy,
        `RNN accuracy recalling the first of 5 symbols was ${shortAccuracy}; it should reach 0.95 (chance 0.125). Check backward through time: the gradient must reach step 1`,
      ).toBeGreaterThanOrEqual(0.95);
      const longAccuracy = memoryTaskAccuracy(long, 'RNN');
      expect(
        longAccuracy,
        `a plain RNN should fall well short of the LSTM's 0.95 over ${MEMORY_TASK.length - 1} steps (vanishing gradients, 004: 6143–6148); it reached ${longAccuracy}`,
      ).toBeLessThan(0.8);
    },
    matchReference: false,
  }),
]);
