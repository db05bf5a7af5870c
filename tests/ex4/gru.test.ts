import fc from 'fast-check';
import { expect } from 'vitest';
import { Rng, tensor, zeros } from '../../framework/index.js';
import { GRU } from '#impl/layers/gru.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  fail,
  gradientData,
  knownValue,
  property,
  tensorData,
  training,
  type TensorData,
} from '../harness/index.js';
import { expectKnownOutput, expectRecurrentPass } from '../helpers/recurrent-definition.js';
import { forwardPass, optionalTensor, recurrentPass, sharedRecurrentChecks } from '../helpers/recurrent-checks.js';
import { MEMORY_TASK, memoryTaskAccuracy, trainOnMemoryTask } from '../helpers/recurrent-training.js';
import { REFERENCE_BY, REFERENCE_G, REFERENCE_WHY, REFERENCE_X } from '../helpers/sequence-slices.js';

/**
 * Exercise 4, GRU (extension; 004: 6318–6395), gate order r, z, n in Wx [in, 3H], Wh [H, 3H], b [3H]:
 * r = σ(x·Wx_r + h·Wh_r + b_r), z = σ(x·Wx_z + h·Wh_z + b_z), n = tanh(x·Wx_n + (r⊙h)·Wh_n + b_n),
 * h_t = (1 − z)⊙h_{t−1} + z⊙n (the seed's convention: z weighs the proposal), y_t = h_t·Why + by.
 * Handout: docs/exercises/4-recurrent.md#gru. The definition the checks compare with is written out
 * with loops in tests/helpers/recurrent-definition.ts (it also names PyTorch's conventions when it
 * sees them); the checks all recurrent layers share are in tests/helpers/recurrent-checks.ts.
 */

const sizes = { inputSize: 3, hiddenSize: 4, outputSize: 2 };

/** The GRU of tests/ex4/reference/recurrent_reference.py. */
function referenceGru(): GRU {
  const layer = new GRU({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
  layer.Wx.assign(tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3], [2, 6]));
  layer.Wh.assign(tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3], [2, 6]));
  layer.b.assign(tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2], [6]));
  layer.Why.assign(REFERENCE_WHY);
  layer.by.assign(REFERENCE_BY);
  return layer;
}

export default componentChecks('ex4', 'GRU', [
  property({
    title:
      'maps [batch, time, inputSize] to [batch, time, outputSize]; parameters Wx [in, 3H], Wh [H, 3H], b [3H], Why, by',
    run: (rng) => {
      const layer = new GRU({ ...sizes, rng: new Rng(1) });
      const shapes = drawSamples(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 })), rng, 15).map(
        ([batch, time]) => ({
          batch,
          time,
          shape: tensorData(layer.forward(zeros([batch, time, 3])), 'GRU.forward').shape,
        }),
      );
      return { shapes, parameters: layer.parameters().map((p) => [p.name, Array.from(p.value.shape), p.role]) };
    },
    verify: ({ shapes, parameters }) => {
      shapes.forEach(({ batch, time, shape }, i) => {
        expect(shape, `sample ${i}: GRU.forward on [${batch}, ${time}, 3] must give [${batch}, ${time}, 2]`).toEqual([
          batch,
          time,
          2,
        ]);
      });
      expect(parameters, 'GRU.parameters(): names, shapes and roles').toEqual([
        ['Wx', [3, 12], 'weight'],
        ['Wh', [4, 12], 'weight'],
        ['b', [12], 'bias'],
        ['Why', [4, 2], 'weight'],
        ['by', [2], 'bias'],
      ]);
    },
    hiddenRerun: true,
  }),
  property({
    title:
      'a length-1 sequence from initialState equals one GRU step (r, z, n; r multiplies h_{t−1} before Wh_n; 004: 6355–6382)',
    weight: 2,
    run: (rng) =>
      drawSamples(fc.integer({ min: 0, max: 1000 }), rng, 20).map((seed) => {
        const draw = new Rng(seed);
        return recurrentPass('GRU', new GRU({ ...sizes, rng: draw }), draw, { batch: 2, time: 1, backward: false });
      }),
    verify: (samples) =>
      samples.forEach((pass, i) => {
        expectRecurrentPass('GRU', pass, `sample ${i}`);
      }),
    hiddenRerun: true,
  }),
  ...sharedRecurrentChecks('GRU', GRU, 1e-5),
  property({
    title: 'zero input weights make the output independent of x',
    run: (rng) =>
      drawSamples(fc.integer({ min: 0, max: 1000 }), rng, 10).map((seed) => {
        const draw = new Rng(seed);
        const layer = new GRU({ ...sizes, rng: draw });
        layer.Wx.assign(zeros([3, 12]));
        return {
          output: tensorData(layer.forward(draw.normalTensor([2, 5, 3])), 'GRU.forward'),
          outputChanged: tensorData(layer.forward(draw.normalTensor([2, 5, 3])), 'GRU.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ output, outputChanged }, i) => {
        expectClose(outputChanged, output, 1e-12, `sample ${i}: GRU with Wx = 0, the output for a different input`);
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'one scalar step worked by hand from h_0 = 0.5: z weighs the proposal, h_1 = (1 − z)·h_0 + z·n (004: 6382)',
    weight: 2,
    // x = 1, h_0 = 0.5, Wx = (1, 2, 0.5) for (r, z, n), Wh = (0, 0, 1), b = 0, Why = 1, by = 0:
    // r = σ(1) = 0.731058579, z = σ(2) = 0.880797078, n = tanh(0.5·1 + (r·h_0)·1) = 0.699095548,
    // h_1 = (1 − z)·0.5 + z·n = 0.675362777 = y. (PyTorch's z·h_0 + (1 − z)·n would give 0.523732771.)
    run: () => {
      const layer = new GRU({ inputSize: 1, hiddenSize: 1, outputSize: 1, rng: new Rng(1) });
      layer.Wx.assign(tensor([1, 2, 0.5], [1, 3]));
      layer.Wh.assign(tensor([0, 0, 1], [1, 3]));
      layer.b.assign(zeros([3]));
      layer.Why.assign(tensor([1], [1, 1]));
      layer.by.assign(zeros([1]));
      layer.initialState = tensor([0.5], [1, 1]);
      return forwardPass('GRU', layer, tensor([1], [1, 1, 1]));
    },
    verify: (pass) =>
      expectKnownOutput('GRU', pass, [[[0.6753627768925172]]], 1e-12, 'scalar GRU output h_1 = (1 − z)·h_0 + z·n'),
  }),
  knownValue({
    title: 'matches the independent NumPy reference, forward (tests/ex4/reference/recurrent_reference.py)',
    weight: 2,
    run: () => forwardPass('GRU', referenceGru(), REFERENCE_X),
    verify: (pass) =>
      expectKnownOutput(
        'GRU',
        pass,
        [
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
        1e-10,
        'GRU output for the reference weights (recurrent_reference.out, "GRU output")',
      ),
  }),
  knownValue({
    title: 'matches the independent NumPy reference, backward: ∂L/∂x, every parameter gradient and ∂L/∂h_0',
    weight: 2,
    run: () => {
      const layer = referenceGru();
      layer.forward(REFERENCE_X);
      const dx = tensorData(layer.backward(REFERENCE_G), 'GRU.backward');
      return {
        dx,
        grads: gradientData(layer.parameters(), 'GRU.backward'),
        dh0: optionalTensor(layer.gradInitialState, 'GRU.gradInitialState'),
      };
    },
    // Central differences of the NumPy model (recurrent_reference.out, "GRU gradient of … for upstream G").
    verify: ({ dx, grads, dh0 }) => {
      const near = (received: TensorData | null, expected: Parameters<typeof expectClose>[1], what: string) => {
        if (!received) fail(`${what}: undefined after GRU.backward`);
        expectClose(received, expected, 1e-7, `${what} for the reference upstream gradient`);
      };
      near(
        dx,
        [
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
        'GRU.backward: ∂L/∂x',
      );
      near(
        grads.Wx,
        [
          [-0.011651781, -0.018158636, 0.01539185, 0.451329139, 1.017032842, -0.534840979],
          [-0.006136816, 0.011900645, -0.004559227, -0.244330385, -0.367762658, 0.50923297],
        ],
        'Wx.grad',
      );
      near(
        grads.Wh,
        [
          [0.00803468, -0.003941565, -0.020965895, 0.065312247, -0.040857502, 0.041896312],
          [-0.006108936, 0.007221919, -0.021114152, -0.138574187, 0.021861479, 0.111997185],
        ],
        'Wh.grad',
      );
      near(grads.b, [-0.011972029, 0.014509951, -0.247118461, -0.230044238, 0.703997805, 1.352333818], 'b.grad');
      near(
        grads.Why,
        [
          [-1.043838227, 0.752619494],
          [1.13506034, -0.451885809],
        ],
        'Why.grad',
      );
      near(grads.by, [2.3, 1.55], 'by.grad');
      near(
        dh0,
        [
          [0.224291888, 0.061654869],
          [-0.166282713, 0.17053556],
        ],
        'gradInitialState (∂L/∂h_0)',
      );
    },
  }),
  training({
    title: 'learns to recall a symbol over 6 steps of distractors to ≥ 0.95 accuracy',
    weight: 2,
    run: () =>
      trainOnMemoryTask(
        new GRU({
          inputSize: MEMORY_TASK.symbols + 1,
          hiddenSize: MEMORY_TASK.hiddenSize,
          outputSize: MEMORY_TASK.symbols,
          rng: new Rng(MEMORY_TASK.seed),
        }),
        { length: 7, batch: 16, iterations: 100 },
      ),
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
