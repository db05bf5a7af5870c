import { expect } from 'vitest';
import { CharacterVocabulary, characterBatch, loadAliceText, Rng, tensor, zeros } from '../../framework/index.js';
import { LSTM } from '#impl/layers/lstm.js';
import {
  componentChecks,
  expectClose,
  fail,
  knownValue,
  tensorData,
  training,
  type TensorData,
} from '../harness/index.js';
import { expectKnownOutput } from '../helpers/recurrent-definition.js';
import { sharedRecurrentChecks } from '../helpers/recurrent-checks.js';
import {
  forwardPass,
  layerWithWeights,
  optionalTensor,
  parameterNamed,
  type RecurrentLayerLike,
} from '../helpers/recurrent-passes.js';
import {
  AdamDouble,
  MEMORY_TASK,
  memoryTaskAccuracy,
  memoryTaskLayer,
  stepCrossEntropy,
  trainOnMemoryTask,
} from '../helpers/recurrent-training.js';

/**
 * Exercise 4, LSTM (004: 6188–6282): a_t = x_t·Wx + h_{t−1}·Wh + b in four blocks i | f | g | o;
 * c_t = f⊙c_{t−1} + i⊙g, h_t = o⊙tanh(c_t), y_t = h_t·Why + by; backward through time leaves ∂L/∂h_0
 * and ∂L/∂c_0 in gradInitialState and gradInitialCell. Handout: docs/exercises/4-recurrent.md#lstm.
 * The definition the checks compare with is written out with loops in tests/helpers/recurrent-definition.ts
 * (it also names a wrong gate order when it sees one); the checks all recurrent layers share are in
 * tests/helpers/recurrent-checks.ts.
 */

/** Sets the forget gate's block of b (columns H…2H−1). */
function setForgetBias(layer: RecurrentLayerLike, value: number): void {
  const b = parameterNamed(layer, 'LSTM', 'b');
  const bias = b.value.clone();
  for (let j = layer.hiddenSize; j < 2 * layer.hiddenSize; j++) bias.data[j] = value;
  b.assign(bias);
}

/**
 * Closes the forget gate: f = σ(−1000) = 0 exactly (its block H…2H−1 of b at −1000, of Wx at 0), so
 * that with Wh = 0 the cell c_t = f⊙c_{t−1} + i⊙g keeps nothing of c_{t−1}.
 */
function closeForgetGate(layer: RecurrentLayerLike): void {
  setForgetBias(layer, -1000);
  const Wx = parameterNamed(layer, 'LSTM', 'Wx');
  const weights = Wx.value.clone();
  const H = layer.hiddenSize;
  for (let j = H; j < 2 * H; j++) for (let i = 0; i < layer.inputSize; i++) weights.data[i * 4 * H + j] = 0;
  Wx.assign(weights);
}

/** H(next | previous) = −Σ p(a, b) ln p(b | a) over the text's character pairs, in nats. */
function conditionalEntropy(ids: readonly number[]): number {
  const pairs = new Map<string, number>();
  const firsts = new Map<number, number>();
  for (let k = 0; k + 1 < ids.length; k++) {
    pairs.set(`${ids[k]},${ids[k + 1]}`, (pairs.get(`${ids[k]},${ids[k + 1]}`) ?? 0) + 1);
    firsts.set(ids[k], (firsts.get(ids[k]) ?? 0) + 1);
  }
  let entropy = 0;
  for (const [key, count] of pairs)
    entropy -= (count / (ids.length - 1)) * Math.log(count / (firsts.get(Number(key.split(',')[0])) as number));
  return entropy;
}

/** Mean −log softmax(logits)[target] over every step of [batch, time, classes] logits, computed here from the raw outputs. */
function meanCrossEntropy(logits: TensorData, targets: readonly (readonly number[])[]): number {
  const [batch, time, classes] = logits.shape;
  let total = 0;
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const row = logits.data.slice((b * time + t) * classes, (b * time + t + 1) * classes);
      const largest = Math.max(...row);
      const logSum = largest + Math.log(row.reduce((sum, z) => sum + Math.exp(z - largest), 0));
      total += logSum - row[targets[b][t]];
    }
  }
  return total / (batch * time);
}

const ALICE = {
  hidden: 24,
  length: 16,
  batch: 16,
  iterations: 70,
  learningRate: 0.1,
  seed: 7,
  evaluation: { sequences: 32, length: 48 },
} as const;

export default componentChecks('ex4', 'LSTM', [
  ...sharedRecurrentChecks({
    kind: 'LSTM',
    Layer: LSTM,
    threshold: 1e-5,
    oneStep: {
      title:
        'a length-1 sequence from (initialState, initialCell) equals one LSTM step, gate order i, f, g, o (004: 6243–6280)',
      weight: 2,
    },
    gate: {
      title: 'a closed forget gate',
      says: 'f = 0 (columns H…2H−1 of b at −1000: c_t = f⊙c_{t−1} + i⊙g must keep nothing of c_{t−1})',
      apply: closeForgetGate,
    },
    // tests/ex4/reference/recurrent_reference.py and its output recurrent_reference.out ("LSTM output", "LSTM gradient of …").
    reference: {
      weights: {
        Wx: tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.2, -0.1, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3, 0.1, 0.7], [2, 8]),
        Wh: tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, 0.5, 0.1, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3, -0.4, 0.2], [2, 8]),
        b: tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2, 0.0, -0.2], [8]),
      },
      output: [
        [
          [-0.056461720151, 0.069732998351],
          [0.016423142143, 0.095713700363],
          [0.088597214607, -0.170765136799],
        ],
        [
          [0.125671720824, -0.176245472731],
          [0.050969384352, -0.022110624186],
          [0.038631232391, 0.046075336191],
        ],
      ],
      gradients: {
        dx: [
          [
            [-0.0523576, 0.027634441],
            [0.04050547, -0.042231535],
            [0.389452262, -0.244227762],
          ],
          [
            [0.066496753, -0.025535217],
            [-0.04221603, 0.076055204],
            [-0.131732996, 0.062097242],
          ],
        ],
        grads: {
          Wx: [
            [
              -0.038059682, 0.15844818, -0.009541222, -0.080137584, 0.350271084, -0.389139205, -0.039391642,
              0.054010098,
            ],
            [0.024933674, -0.085689812, 6.609e-6, 0.048395359, -0.053566856, 0.390101491, -0.032960725, -0.087445604],
          ],
          Wh: [
            [7.9069e-5, 0.013113785, 0.001163516, -0.010364788, 0.021875669, -0.050038556, 0.00822782, 0.01950209],
            [
              -0.007502846, -0.020902973, 0.001529543, 0.014451143, -0.012481034, 0.079392267, -0.009469697,
              -0.016634421,
            ],
          ],
          b: [
            -0.148419611, -0.063120448, 0.023759197, 0.078775304, 0.353096611, 0.725545194, -0.157241706, -0.063973795,
          ],
          Why: [
            [-0.327689355, 0.282941979],
            [0.329276466, -0.297213233],
          ],
          by: [2.3, 1.55],
        },
        dh0: [
          [-0.004728319, 0.074500209],
          [-0.023168317, 0.054521017],
        ],
        dc0: [
          [0.301490836, 0.138251975],
          [0.055984669, 0.194407384],
        ],
      },
    },
  }),
  knownValue({
    title: 'one scalar step worked by hand (docs/exercises/4-recurrent.md#lstm): y_1 and the carried cell c_1',
    weight: 2,
    // x = 1, h_0 = c_0 = 0, Wx = (1, 2, 0.5, −1) for (i, f, g, o), Wh = 0, b = 0, Why = 1, by = 0:
    // i = σ(1) = 0.731058579, f = σ(2), g = tanh(0.5) = 0.462117157, o = σ(−1) = 0.268941421,
    // c = i·g = 0.337834712, h = o·tanh(c) = 0.087551983 = y.
    run: () => {
      const layer = layerWithWeights(
        'LSTM',
        LSTM,
        { inputSize: 1, hiddenSize: 1, outputSize: 1, stateful: true },
        {
          Wx: tensor([1, 2, 0.5, -1], [1, 4]),
          Wh: zeros([1, 4]),
          b: zeros([4]),
          Why: tensor([1], [1, 1]),
          by: zeros([1]),
        },
      );
      const pass = forwardPass('LSTM', layer, tensor([1], [1, 1, 1]));
      return {
        pass,
        cell: optionalTensor(layer.initialCell, 'LSTM.initialCell after forward'),
        hidden: optionalTensor(layer.initialState, 'LSTM.initialState after forward'),
      };
    },
    verify: ({ pass, cell, hidden }) => {
      expectKnownOutput('LSTM', pass, [[[0.08755198285395513]]], 1e-12, 'scalar LSTM output h_1 = o·tanh(i·g)');
      if (!cell || !hidden) fail('a stateful LSTM must keep c_1 in initialCell and h_1 in initialState after forward');
      expectClose(cell, [[0.33783471214704114]], 1e-12, 'scalar LSTM cell c_1 = f·c_0 + i·g (carried as initialCell)');
      expectClose(hidden, [[0.08755198285395513]], 1e-12, 'scalar LSTM hidden state h_1 (carried as initialState)');
    },
  }),
  training({
    title:
      'remembers the first symbol over 14 steps of distractors to ≥ 0.95 accuracy (a plain RNN stays below 0.8: ex4 RNN)',
    weight: 2,
    run: () => {
      const layer = memoryTaskLayer(LSTM);
      // Forget-gate bias 3 (f ≈ 0.95) so the cell keeps its content from the start (handout hint).
      setForgetBias(layer, 3);
      return trainOnMemoryTask(layer);
    },
    verify: (result) => {
      const accuracy = memoryTaskAccuracy(result, 'LSTM');
      expect(
        accuracy,
        `LSTM accuracy recalling the first of ${MEMORY_TASK.length} symbols was ${accuracy} (chance 0.125); check δc, which flows back through f_{t+1}`,
      ).toBeGreaterThanOrEqual(0.95);
    },
    matchReference: false,
  }),
  training({
    title: 'a character model of Alice chapter I beats the best one-character-context model of the same text',
    weight: 2,
    run: () => {
      const text = loadAliceText();
      const vocabulary = CharacterVocabulary.fromText(text);
      const ids = vocabulary.encode(text);
      const rng = new Rng(ALICE.seed);
      const layer = new LSTM({
        inputSize: vocabulary.size,
        hiddenSize: ALICE.hidden,
        outputSize: vocabulary.size,
        rng,
      });
      setForgetBias(layer, 1);
      const adam = new AdamDouble(ALICE.learningRate);
      const steps = Array.from({ length: ALICE.length }, (_, t) => t);
      for (let iteration = 0; iteration < ALICE.iterations; iteration++) {
        const starts = Array.from({ length: ALICE.batch }, () => rng.int(ids.length - ALICE.length - 1));
        const { x } = characterBatch(ids, starts, ALICE.length, vocabulary.size);
        const { grad } = stepCrossEntropy(
          layer.forward(x),
          starts.map((s) => ids.slice(s + 1, s + ALICE.length + 1)),
          steps,
        );
        layer.backward(grad);
        adam.step(layer.parameters());
      }
      const { sequences, length } = ALICE.evaluation;
      const starts = Array.from({ length: sequences }, (_, k) =>
        Math.floor((k * (ids.length - length - 1)) / sequences),
      );
      const logits = tensorData(layer.forward(characterBatch(ids, starts, length, vocabulary.size).x), 'LSTM.forward');
      return { ids, starts, length, classes: vocabulary.size, logits };
    },
    verify: ({ ids, starts, length, classes, logits }) => {
      // The threshold: the conditional entropy H(next | previous character) of the text itself, the
      // lowest mean loss any model that sees only the previous character can reach on it (≈ 2.24 nats;
      // chance is ln 56 ≈ 4.03). Going below it means the LSTM uses more than one character of context.
      const bigramEntropy = conditionalEntropy(ids);
      expect(logits.shape, 'LSTM.forward on the evaluation batch').toEqual([starts.length, length, classes]);
      const loss = meanCrossEntropy(
        logits,
        starts.map((s) => ids.slice(s + 1, s + length + 1)),
      );
      expect(
        loss,
        `LSTM character model loss ${loss} nats per character should fall below the text's bigram entropy ${bigramEntropy} (uniform guess ln ${classes} = ${Math.log(classes)})`,
      ).toBeLessThan(bigramEntropy);
    },
    matchReference: false,
  }),
]);
