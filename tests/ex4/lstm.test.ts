import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CharacterVocabulary, characterBatch, loadAliceText, Rng, ShapeError, StateError, tensor, zeros, type Tensor } from '../../framework/index.js';
import { LSTM } from '#impl/layers/lstm.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty } from '../helpers/property.js';
import { expectRecurrentGradientsMatch } from '../helpers/recurrent-gradient.js';
import { AdamDouble, MEMORY_TASK, stepCrossEntropy, trainOnMemoryTask } from '../helpers/recurrent-training.js';
import { REFERENCE_BY, REFERENCE_G, REFERENCE_WHY, REFERENCE_X, sliceTime } from '../helpers/sequence-slices.js';

const sizes = { inputSize: 3, hiddenSize: 4, outputSize: 2 };
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** One LSTM step for one row, written out with loops in the seed's order: gates, cell, hidden, output. */
function lstmStepByHand(layer: LSTM, x: number[], h: number[], c: number[]): { h: number[]; c: number[]; y: number[] } {
  const { inputSize: I, hiddenSize: H, outputSize: O } = layer;
  const [Wx, Wh, b, Why, by] = layer.parameters().map((p) => p.value.data);
  const pre = (gate: number, j: number): number => {
    const column = gate * H + j;
    let a = b[column];
    for (let i = 0; i < I; i++) a += x[i] * Wx[i * 4 * H + column];
    for (let k = 0; k < H; k++) a += h[k] * Wh[k * 4 * H + column];
    return a;
  };
  const cNew = c.map((cPrev, j) => sigmoid(pre(1, j)) * cPrev + sigmoid(pre(0, j)) * Math.tanh(pre(2, j)));
  const hNew = cNew.map((cj, j) => sigmoid(pre(3, j)) * Math.tanh(cj));
  const y = Array.from({ length: O }, (_, o) => hNew.reduce((v, hj, j) => v + hj * Why[j * O + o], by[o]));
  return { h: hNew, c: cNew, y };
}

describe('ex4 LSTM', () => {
  describe('properties', () => {
    it('maps [batch, time, inputSize] to [batch, time, outputSize]; parameters Wx [in, 4H], Wh [H, 4H], b [4H], Why, by', () => {
      const layer = new LSTM({ ...sizes, rng: new Rng(1) });
      expect(layer.parameters().map((p) => [p.name, p.value.shape, p.role])).toEqual([
        ['Wx', [3, 16], 'weight'], ['Wh', [4, 16], 'weight'], ['b', [16], 'bias'], ['Why', [4, 2], 'weight'], ['by', [2], 'bias'],
      ]);
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), (batch, time) => {
          expect(layer.forward(zeros([batch, time, 3])).shape).toEqual([batch, time, 2]);
        }),
        15,
      );
    });

    it('a length-1 sequence equals one LSTM step written out by hand, gate order i, f, g, o (004: 6243–6280)', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
          const rng = new Rng(seed);
          const layer = new LSTM({ ...sizes, rng });
          const x = rng.normalTensor([2, 1, 3]);
          layer.initialState = rng.normalTensor([2, 4]);
          layer.initialCell = rng.normalTensor([2, 4]);
          const y = layer.forward(x);
          const h0 = layer.initialState.toArray() as number[][];
          const c0 = layer.initialCell.toArray() as number[][];
          const xs = x.reshape([2, 3]).toArray() as number[][];
          const expected = [0, 1].map((b) => lstmStepByHand(layer, xs[b], h0[b], c0[b]).y);
          expectClose(y.reshape([2, 2]), expected, 1e-12, 'LSTM.forward on one step from (initialState, initialCell); check the gate order i, f, g, o in Wx, Wh and b');
        }),
        20,
      );
    });

    it('with stateful, two halves give the same outputs as the whole sequence (h and c both carried)', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (split, seed) => {
          const whole = new LSTM({ ...sizes, rng: new Rng(seed) });
          const halves = new LSTM({ ...sizes, rng: new Rng(seed), stateful: true });
          const x = new Rng(seed + 1).normalTensor([2, 7, 3]);
          const all = whole.forward(x);
          expectClose(halves.forward(sliceTime(x, 0, split)), sliceTime(all, 0, split), 1e-12, 'stateful LSTM, first part');
          expectClose(halves.forward(sliceTime(x, split, 7)), sliceTime(all, split, 7), 1e-12, `stateful LSTM, second part (after ${split} steps): h_T and c_T must become initialState and initialCell`);
        }),
        20,
      );
    });

    it('zero recurrent weights and a closed forget gate make y_t independent of history; zero input weights make y independent of x', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
          const rng = new Rng(seed);
          const layer = new LSTM({ ...sizes, rng });
          const x = rng.normalTensor([2, 5, 3]);
          const changed = x.clone();
          for (let b = 0; b < 2; b++) for (let t = 0; t < 4; t++) for (let i = 0; i < 3; i++) changed.set(rng.normal(), b, t, i);
          // Wh = 0 cuts h_{t−1}; f = σ(−1000) = 0 exactly cuts c_{t−1}.
          layer.Wh.assign(zeros([4, 16]));
          const Wx = layer.Wx.value.clone();
          const b = layer.b.value.clone();
          for (let j = 4; j < 8; j++) {
            b.data[j] = -1000;
            for (let i = 0; i < 3; i++) Wx.data[i * 16 + j] = 0;
          }
          layer.Wx.assign(Wx);
          layer.b.assign(b);
          const last = (y: Tensor) => sliceTime(y, 4, 5);
          const reference = last(layer.forward(x));
          layer.initialState = rng.normalTensor([2, 4]);
          layer.initialCell = rng.normalTensor([2, 4]);
          expectClose(last(layer.forward(changed)), reference, 1e-12, 'LSTM with Wh = 0 and f = 0: the last output after changing x_1…x_4, h_0 and c_0');
          layer.resetState();
          layer.Wh.assign(rng.normalTensor([4, 16]));
          layer.Wx.assign(zeros([3, 16]));
          expectClose(layer.forward(changed), layer.forward(x), 1e-12, 'LSTM with Wx = 0: the output for a different input');
        }),
        15,
      );
    });

    it('backward accumulates: two backward calls give twice the parameter gradients', () => {
      const rng = new Rng(3);
      const layer = new LSTM({ ...sizes, rng });
      const gradOutput = rng.normalTensor([2, 4, 2]);
      layer.forward(rng.normalTensor([2, 4, 3]));
      layer.backward(gradOutput);
      const once = layer.parameters().map((p) => p.grad.clone());
      layer.backward(gradOutput);
      layer.parameters().forEach((p, k) => {
        expectClose(p.grad, tensor(once[k].data.map((v) => 2 * v), p.grad.shape), 1e-12, `LSTM.backward twice: gradient of '${p.name}' must be added to .grad, not assigned`);
      });
    });

    it('stateful truncated BPTT: the second call\'s gradients stop at the call boundary', () => {
      const rng = new Rng(5);
      const stateful = new LSTM({ ...sizes, rng: new Rng(9), stateful: true });
      const fresh = new LSTM({ ...sizes, rng: new Rng(9) });
      const x = rng.normalTensor([2, 6, 3]);
      const gradOutput = rng.normalTensor([2, 3, 2]);
      stateful.forward(sliceTime(x, 0, 3));
      fresh.initialState = stateful.initialState;
      fresh.initialCell = stateful.initialCell;
      expect(fresh.initialCell, 'a stateful LSTM must keep c_T in initialCell after forward').toBeDefined();
      stateful.forward(sliceTime(x, 3, 6));
      stateful.backward(gradOutput);
      fresh.forward(sliceTime(x, 3, 6));
      fresh.backward(gradOutput);
      stateful.parameters().forEach((p, k) => expectClose(p.grad, fresh.parameters()[k].grad, 1e-12, `truncated BPTT, gradient of '${p.name}'`));
      expectClose(stateful.gradInitialCell as Tensor, fresh.gradInitialCell as Tensor, 1e-12, 'truncated BPTT, gradInitialCell');
    });

    it('explains wrong shapes, backward before forward and a carried state of another batch size', () => {
      const layer = new LSTM({ ...sizes, rng: new Rng(1), stateful: true });
      expect(() => layer.backward(zeros([1, 1, 2]))).toThrow(StateError);
      expect(() => layer.forward(zeros([2, 5, 4]))).toThrow(/LSTM.forward expected input \[batch, time, 3\], got \[2, 5, 4\]/);
      layer.forward(zeros([2, 3, 3]));
      expect(() => layer.backward(zeros([2, 3, 5]))).toThrow(ShapeError);
      expect(() => layer.forward(zeros([5, 3, 3]))).toThrow(/resetState/);
    });
  });

  describe('gradients', () => {
    for (const time of [1, 2, 7]) {
      for (const batch of [1, 3]) {
        it(`input, Wx, Wh, b, Why, by, h_0 and c_0 match centred differences (time ${time}, batch ${batch})`, () => {
          const rng = new Rng(100 * time + batch);
          const layer = new LSTM({ ...sizes, rng });
          layer.initialState = rng.normalTensor([batch, 4], 0, 0.5);
          layer.initialCell = rng.normalTensor([batch, 4], 0, 0.5);
          expectRecurrentGradientsMatch(layer, rng.normalTensor([batch, time, 3]), [
            { name: 'initialState', value: layer.initialState, gradient: () => layer.gradInitialState },
            { name: 'initialCell', value: layer.initialCell, gradient: () => layer.gradInitialCell },
          ], 1e-5);
        });
      }
    }
  });

  describe('known values', () => {
    it('one scalar step worked by hand (docs/exercises/4-recurrent.md#lstm)', () => {
      // x = 1, h_0 = c_0 = 0, Wx = (1, 2, 0.5, −1), Wh = 0, b = 0, Why = 1, by = 0:
      // i = σ(1) = 0.731058579, f = σ(2), g = tanh(0.5) = 0.462117157, o = σ(−1) = 0.268941421,
      // c = i·g = 0.337834712, h = o·tanh(c) = 0.087551983 = y.
      const layer = new LSTM({ inputSize: 1, hiddenSize: 1, outputSize: 1, rng: new Rng(1) });
      layer.Wx.assign(tensor([1, 2, 0.5, -1], [1, 4]));
      layer.Wh.assign(zeros([1, 4]));
      layer.b.assign(zeros([4]));
      layer.Why.assign(tensor([1], [1, 1]));
      layer.by.assign(zeros([1]));
      layer.stateful = true;
      expectClose(layer.forward(tensor([1], [1, 1, 1])).reshape([1]), [0.08755198285395513], 1e-12, 'scalar LSTM output h_1');
      expectClose(layer.initialCell as Tensor, [[0.33783471214704114]], 1e-12, 'scalar LSTM cell c_1 (carried as initialCell)');
    });

    it('matches the independent NumPy reference (tests/ex4/reference/recurrent_reference.py)', () => {
      const layer = new LSTM({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
      layer.Wx.assign(tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.2, -0.1, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3, 0.1, 0.7], [2, 8]));
      layer.Wh.assign(tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, 0.5, 0.1, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3, -0.4, 0.2], [2, 8]));
      layer.b.assign(tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2, 0.0, -0.2], [8]));
      layer.Why.assign(REFERENCE_WHY);
      layer.by.assign(REFERENCE_BY);
      expectClose(layer.forward(REFERENCE_X).reshape([6, 2]), [
        [-0.056461720151, 0.069732998351], [0.016423142143, 0.095713700363], [0.088597214607, -0.170765136799],
        [0.125671720824, -0.176245472731], [0.050969384352, -0.022110624186], [0.038631232391, 0.046075336191],
      ], 1e-10, 'LSTM output for the reference weights');
      layer.backward(REFERENCE_G);
      expectClose(layer.Wh.grad, [
        [7.9069e-5, 0.013113785, 0.001163516, -0.010364788, 0.021875669, -0.050038556, 0.00822782, 0.01950209],
        [-0.007502846, -0.020902973, 0.001529543, 0.014451143, -0.012481034, 0.079392267, -0.009469697, -0.016634421],
      ], 1e-7, 'LSTM gradient of Wh for the reference upstream gradient');
    });
  });

  describe('training', () => {
    it(`remembers the first symbol over ${MEMORY_TASK.length - 1} steps of distractors to ≥ 0.95 accuracy (a plain RNN stays below 0.8: ex4 RNN)`, () => {
      const layer = new LSTM({ inputSize: MEMORY_TASK.symbols + 1, hiddenSize: MEMORY_TASK.hiddenSize, outputSize: MEMORY_TASK.symbols, rng: new Rng(MEMORY_TASK.seed) });
      // Forget-gate bias 3 (f ≈ 0.95) so the cell keeps its content from the start (handout hint).
      setForgetBias(layer, 3);
      const accuracy = trainOnMemoryTask(layer);
      console.log(`LSTM memory task: accuracy ${accuracy.toFixed(3)} over ${MEMORY_TASK.length - 1} steps`);
      expect(accuracy, `LSTM accuracy recalling the first of ${MEMORY_TASK.length} symbols was ${accuracy} (chance 0.125); check δc, which flows back through f_{t+1}`).toBeGreaterThanOrEqual(0.95);
    });

    it('a character model of Alice chapter I beats the best one-character-context model of the same text', () => {
      const text = loadAliceText();
      const vocabulary = CharacterVocabulary.fromText(text);
      const ids = vocabulary.encode(text);
      // The threshold: the conditional entropy H(next | previous character) of the text itself, the
      // lowest mean loss any model that sees only the previous character can reach on it (≈ 2.24 nats;
      // chance is ln 56 ≈ 4.03). Going below it means the LSTM uses more than one character of context.
      const bigramEntropy = conditionalEntropy(ids);
      const rng = new Rng(7);
      const H = 40;
      const layer = new LSTM({ inputSize: vocabulary.size, hiddenSize: H, outputSize: vocabulary.size, rng });
      setForgetBias(layer, 1);
      const adam = new AdamDouble(0.02);
      const length = 16;
      const steps = Array.from({ length }, (_, t) => t);
      for (let iteration = 0; iteration < 200; iteration++) {
        const starts = Array.from({ length: 16 }, () => rng.int(ids.length - length - 1));
        const { x } = characterBatch(ids, starts, length, vocabulary.size);
        const { grad } = stepCrossEntropy(layer.forward(x), starts.map((s) => ids.slice(s + 1, s + length + 1)), steps);
        layer.backward(grad);
        adam.step(layer.parameters());
      }
      const evaluationStarts = Array.from({ length: 64 }, (_, k) => Math.floor((k * (ids.length - 65)) / 64));
      const evaluation = characterBatch(ids, evaluationStarts, 64, vocabulary.size);
      const { loss } = stepCrossEntropy(layer.forward(evaluation.x), evaluationStarts.map((s) => ids.slice(s + 1, s + 65)), Array.from({ length: 64 }, (_, t) => t));
      console.log(`LSTM character model: loss ${loss.toFixed(3)} nats per character; bigram entropy ${bigramEntropy.toFixed(3)}, uniform guess ln ${vocabulary.size} = ${Math.log(vocabulary.size).toFixed(3)}`);
      expect(loss, `LSTM character model loss ${loss} should fall below the text's bigram entropy ${bigramEntropy}`).toBeLessThan(bigramEntropy);
    });
  });
});

/** Adds nothing to the input and recurrent weights; sets the forget gate's block of b (columns H…2H−1). */
function setForgetBias(layer: LSTM, value: number): void {
  const b = layer.b.value.clone();
  for (let j = layer.hiddenSize; j < 2 * layer.hiddenSize; j++) b.data[j] = value;
  layer.b.assign(b);
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
  for (const [key, count] of pairs) entropy -= (count / (ids.length - 1)) * Math.log(count / (firsts.get(Number(key.split(',')[0])) as number));
  return entropy;
}
