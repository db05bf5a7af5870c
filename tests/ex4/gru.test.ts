import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, StateError, tensor, zeros, type Tensor } from '../../framework/index.js';
import { GRU } from '#impl/layers/gru.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty } from '../helpers/property.js';
import { expectRecurrentGradientsMatch } from '../helpers/recurrent-gradient.js';
import { MEMORY_TASK, trainOnMemoryTask } from '../helpers/recurrent-training.js';
import { REFERENCE_BY, REFERENCE_G, REFERENCE_WHY, REFERENCE_X, sliceTime } from '../helpers/sequence-slices.js';

const sizes = { inputSize: 3, hiddenSize: 4, outputSize: 2 };
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** One GRU step for one row in the seed's form (004: 6355–6382), gate order r, z, n. */
function gruStepByHand(layer: GRU, x: number[], h: number[]): number[] {
  const { inputSize: I, hiddenSize: H, outputSize: O } = layer;
  const [Wx, Wh, b, Why, by] = layer.parameters().map((p) => p.value.data);
  const pre = (gate: number, j: number, state: number[]): number => {
    const column = gate * H + j;
    let a = b[column];
    for (let i = 0; i < I; i++) a += x[i] * Wx[i * 3 * H + column];
    for (let k = 0; k < H; k++) a += state[k] * Wh[k * 3 * H + column];
    return a;
  };
  const r = h.map((_, j) => sigmoid(pre(0, j, h)));
  const z = h.map((_, j) => sigmoid(pre(1, j, h)));
  const resetHidden = h.map((hj, j) => r[j] * hj);
  const n = h.map((_, j) => Math.tanh(pre(2, j, resetHidden)));
  const hNew = h.map((hj, j) => (1 - z[j]) * hj + z[j] * n[j]);
  return Array.from({ length: O }, (_, o) => hNew.reduce((v, hj, j) => v + hj * Why[j * O + o], by[o]));
}

describe('ex4 GRU', () => {
  describe('properties', () => {
    it('a length-1 sequence equals one GRU step written out by hand (r, z, n; 004: 6355–6382)', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
          const rng = new Rng(seed);
          const layer = new GRU({ ...sizes, rng });
          const x = rng.normalTensor([2, 1, 3]);
          layer.initialState = rng.normalTensor([2, 4]);
          const h0 = layer.initialState.toArray() as number[][];
          const xs = x.reshape([2, 3]).toArray() as number[][];
          expectClose(layer.forward(x).reshape([2, 2]), [0, 1].map((b) => gruStepByHand(layer, xs[b], h0[b])), 1e-12, 'GRU.forward on one step; check the gate order r, z, n and that r multiplies h_{t−1} before Wh_n');
        }),
        20,
      );
    });

    it('with stateful, two halves give the same outputs as the whole sequence', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (split, seed) => {
          const whole = new GRU({ ...sizes, rng: new Rng(seed) });
          const halves = new GRU({ ...sizes, rng: new Rng(seed), stateful: true });
          const x = new Rng(seed + 1).normalTensor([2, 7, 3]);
          const all = whole.forward(x);
          expectClose(halves.forward(sliceTime(x, 0, split)), sliceTime(all, 0, split), 1e-12, 'stateful GRU, first part');
          expectClose(halves.forward(sliceTime(x, split, 7)), sliceTime(all, split, 7), 1e-12, 'stateful GRU, second part');
        }),
        20,
      );
    });

    it('zero input weights make the output independent of x', () => {
      const rng = new Rng(4);
      const layer = new GRU({ ...sizes, rng });
      layer.Wx.assign(zeros([3, 12]));
      expectClose(layer.forward(rng.normalTensor([2, 5, 3])), layer.forward(rng.normalTensor([2, 5, 3])), 1e-12, 'GRU with Wx = 0: the output for a different input');
    });

    it('backward accumulates, and explains backward before forward', () => {
      const rng = new Rng(3);
      const layer = new GRU({ ...sizes, rng });
      expect(() => layer.backward(zeros([2, 4, 2]))).toThrow(StateError);
      const gradOutput = rng.normalTensor([2, 4, 2]);
      layer.forward(rng.normalTensor([2, 4, 3]));
      layer.backward(gradOutput);
      const once = layer.parameters().map((p) => p.grad.clone());
      layer.backward(gradOutput);
      layer.parameters().forEach((p, k) => expectClose(p.grad, tensor(once[k].data.map((v) => 2 * v), p.grad.shape), 1e-12, `GRU.backward twice: gradient of '${p.name}'`));
    });
  });

  describe('gradients', () => {
    for (const time of [1, 2, 7]) {
      for (const batch of [1, 3]) {
        it(`input, Wx, Wh, b, Why, by and h_0 match centred differences (time ${time}, batch ${batch})`, () => {
          const rng = new Rng(100 * time + batch);
          const layer = new GRU({ ...sizes, rng });
          layer.initialState = rng.normalTensor([batch, 4], 0, 0.5);
          expectRecurrentGradientsMatch(layer, rng.normalTensor([batch, time, 3]), [{ name: 'initialState', value: layer.initialState, gradient: () => layer.gradInitialState }], 1e-5);
        });
      }
    }
  });

  describe('known values', () => {
    it('matches the independent NumPy reference (tests/ex4/reference/recurrent_reference.py)', () => {
      const layer = new GRU({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
      layer.Wx.assign(tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3], [2, 6]));
      layer.Wh.assign(tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3], [2, 6]));
      layer.b.assign(tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2], [6]));
      layer.Why.assign(REFERENCE_WHY);
      layer.by.assign(REFERENCE_BY);
      expectClose(layer.forward(REFERENCE_X).reshape([6, 2]), [
        [-0.243414246478, 0.58538858818], [0.055287117118, 0.253068082338], [0.283398894697, -0.309225882152],
        [0.20840212341, -0.258063819166], [-0.062988474556, 0.27968177326], [-0.019048222251, 0.294844282095],
      ], 1e-10, 'GRU output for the reference weights');
      layer.backward(REFERENCE_G);
      expectClose(layer.Wh.grad as Tensor, [
        [0.00803468, -0.003941565, -0.020965895, 0.065312247, -0.040857502, 0.041896312],
        [-0.006108936, 0.007221919, -0.021114152, -0.138574187, 0.021861479, 0.111997185],
      ], 1e-7, 'GRU gradient of Wh for the reference upstream gradient');
    });
  });

  describe('training', () => {
    it('learns to recall a symbol over 6 steps of distractors to ≥ 0.95 accuracy', () => {
      const accuracy = trainOnMemoryTask(new GRU({ inputSize: MEMORY_TASK.symbols + 1, hiddenSize: MEMORY_TASK.hiddenSize, outputSize: MEMORY_TASK.symbols, rng: new Rng(MEMORY_TASK.seed) }), { length: 7 });
      expect(accuracy, `GRU accuracy recalling the first of 7 symbols was ${accuracy} (chance 0.125)`).toBeGreaterThanOrEqual(0.95);
    });
  });
});
