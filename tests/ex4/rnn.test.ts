import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, StateError, tensor, zeros, type Tensor } from '../../framework/index.js';
import { RNN } from '#impl/layers/rnn.js';
import { expectClose } from '../helpers/expect-close.js';
import { assertProperty } from '../helpers/property.js';
import { expectRecurrentGradientsMatch } from '../helpers/recurrent-gradient.js';
import { MEMORY_TASK, trainOnMemoryTask } from '../helpers/recurrent-training.js';
import { REFERENCE_BY, REFERENCE_G, REFERENCE_WHY, REFERENCE_X, sliceTime } from '../helpers/sequence-slices.js';

const sizes = { inputSize: 3, hiddenSize: 4, outputSize: 2 };

/** One Elman step written out with loops: y = tanh(x·Wxh + h·Whh + bh)·Why + by, for one row. */
function elmanStepByHand(layer: RNN, x: number[], h: number[]): { h: number[]; y: number[] } {
  const { inputSize: I, hiddenSize: H, outputSize: O } = layer;
  const [Wxh, Whh, bh, Why, by] = [layer.Wxh, layer.Whh, layer.bh, layer.Why, layer.by].map((p) => p.value.data);
  const hNew = Array.from({ length: H }, (_, j) => {
    let u = bh[j];
    for (let i = 0; i < I; i++) u += x[i] * Wxh[i * H + j];
    for (let k = 0; k < H; k++) u += h[k] * Whh[k * H + j];
    return Math.tanh(u);
  });
  const y = Array.from({ length: O }, (_, o) => {
    let v = by[o];
    for (let j = 0; j < H; j++) v += hNew[j] * Why[j * O + o];
    return v;
  });
  return { h: hNew, y };
}

function rows(t: Tensor): number[][] {
  return t.toArray() as number[][];
}

describe('ex4 RNN', () => {
  describe('properties', () => {
    it('maps [batch, time, inputSize] to [batch, time, outputSize]', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1000 }), (batch, time, seed) => {
          const rng = new Rng(seed);
          const layer = new RNN({ ...sizes, rng });
          const y = layer.forward(rng.normalTensor([batch, time, sizes.inputSize]));
          expect(y.shape, `RNN.forward on [${batch}, ${time}, 3] must give [${batch}, ${time}, 2]`).toEqual([batch, time, sizes.outputSize]);
        }),
        20,
      );
    });

    it('a length-1 sequence equals one Elman step written out by hand (004: 5895, 5910)', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
          const rng = new Rng(seed);
          const layer = new RNN({ ...sizes, rng });
          const x = rng.normalTensor([2, 1, 3]);
          const h0 = rng.normalTensor([2, 4]);
          layer.initialState = h0;
          const y = layer.forward(x);
          const expected = [0, 1].map((b) => elmanStepByHand(layer, rows(x.reshape([2, 3]))[b], rows(h0)[b]).y);
          expectClose(y.reshape([2, 2]), expected, 1e-12, 'RNN.forward on one step from initialState');
        }),
        20,
      );
    });

    it('with stateful, two halves give the same outputs as the whole sequence', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (split, seed) => {
          const rng = new Rng(seed);
          const whole = new RNN({ ...sizes, rng: new Rng(seed) });
          const halves = new RNN({ ...sizes, rng: new Rng(seed), stateful: true });
          const x = rng.normalTensor([2, 7, 3]);
          const all = whole.forward(x);
          const first = halves.forward(sliceTime(x, 0, split));
          const second = halves.forward(sliceTime(x, split, 7));
          expectClose(first, sliceTime(all, 0, split), 1e-12, 'stateful RNN, first part');
          expectClose(second, sliceTime(all, split, 7), 1e-12, `stateful RNN, second part (after ${split} steps): the last hidden state must become the next call's initialState`);
        }),
        20,
      );
    });

    it('zero recurrent weights make y_t independent of earlier inputs and h_0; zero input weights make y independent of x', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
          const rng = new Rng(seed);
          const layer = new RNN({ ...sizes, rng });
          const x = rng.normalTensor([2, 5, 3]);
          const changed = x.clone();
          for (let b = 0; b < 2; b++) for (let t = 0; t < 4; t++) for (let i = 0; i < 3; i++) changed.set(rng.normal(), b, t, i);
          layer.Whh.assign(zeros([4, 4]));
          const last = (y: Tensor) => sliceTime(y, 4, 5);
          const reference = last(layer.forward(x));
          layer.initialState = rng.normalTensor([2, 4]);
          expectClose(last(layer.forward(changed)), reference, 1e-12, 'RNN with Whh = 0: the last output after changing x_1…x_4 and h_0');
          layer.initialState = undefined;
          layer.Whh.assign(rng.normalTensor([4, 4]));
          layer.Wxh.assign(zeros([3, 4]));
          expectClose(layer.forward(changed), layer.forward(x), 1e-12, 'RNN with Wxh = 0: the output for a different input');
        }),
        15,
      );
    });

    it('backward accumulates: two backward calls give twice the parameter gradients', () => {
      const rng = new Rng(3);
      const layer = new RNN({ ...sizes, rng });
      const x = rng.normalTensor([2, 4, 3]);
      const gradOutput = rng.normalTensor([2, 4, 2]);
      layer.forward(x);
      layer.backward(gradOutput);
      const once = layer.parameters().map((p) => p.grad.clone());
      layer.backward(gradOutput);
      layer.parameters().forEach((p, k) => {
        const twice = once[k].data.map((v) => 2 * v);
        expectClose(p.grad, tensor(twice, p.grad.shape), 1e-12, `RNN.backward twice: gradient of '${p.name}' must be added to .grad, not assigned`);
      });
    });

    it('stateful truncated BPTT: the second call\'s gradients stop at the call boundary', () => {
      const rng = new Rng(5);
      const stateful = new RNN({ ...sizes, rng: new Rng(9), stateful: true });
      const fresh = new RNN({ ...sizes, rng: new Rng(9) });
      const x = rng.normalTensor([2, 6, 3]);
      const gradOutput = rng.normalTensor([2, 3, 2]);
      stateful.forward(sliceTime(x, 0, 3));
      const carried = stateful.initialState as Tensor;
      expect(carried, 'a stateful RNN must keep h_T in initialState after forward').toBeDefined();
      stateful.forward(sliceTime(x, 3, 6));
      stateful.backward(gradOutput);
      fresh.initialState = carried;
      fresh.forward(sliceTime(x, 3, 6));
      const gradInput = fresh.backward(gradOutput);
      stateful.parameters().forEach((p, k) => expectClose(p.grad, fresh.parameters()[k].grad, 1e-12, `truncated BPTT, gradient of '${p.name}'`));
      expectClose(stateful.gradInitialState as Tensor, fresh.gradInitialState as Tensor, 1e-12, 'truncated BPTT, gradInitialState');
      expect(gradInput.shape).toEqual([2, 3, 3]);
    });

    it('explains wrong shapes, backward before forward and a carried state of another batch size', () => {
      const layer = new RNN({ ...sizes, rng: new Rng(1), stateful: true });
      expect(() => layer.backward(zeros([1, 1, 2]))).toThrow(StateError);
      expect(() => layer.forward(zeros([2, 5]))).toThrow(/RNN.forward expected input \[batch, time, 3\], got \[2, 5\]/);
      layer.forward(zeros([2, 3, 3]));
      expect(() => layer.backward(zeros([2, 4, 2]))).toThrow(ShapeError);
      expect(() => layer.forward(zeros([5, 3, 3]))).toThrow(/resetState/);
      layer.resetState();
      expect(layer.forward(zeros([5, 3, 3])).shape).toEqual([5, 3, 2]);
    });
  });

  describe('gradients', () => {
    for (const time of [1, 2, 7]) {
      for (const batch of [1, 3]) {
        it(`input, Wxh, Whh, bh, Why, by and the initial state match centred differences (time ${time}, batch ${batch})`, () => {
          const rng = new Rng(100 * time + batch);
          const layer = new RNN({ ...sizes, rng });
          layer.initialState = rng.normalTensor([batch, 4], 0, 0.5);
          expectRecurrentGradientsMatch(layer, rng.normalTensor([batch, time, 3]), [{ name: 'initialState', value: layer.initialState, gradient: () => layer.gradInitialState }], 1e-6);
        });
      }
    }
  });

  describe('known values', () => {
    it('a scalar RNN worked by hand (docs/exercises/4-recurrent.md#rnn)', () => {
      // Wxh = 0.5, Whh = 1, bh = 0, Why = 2, by = 0.1, x = (1, 2):
      // h1 = tanh(0.5) = 0.462117157, h2 = tanh(1 + 0.462117157) = 0.898063011, y = 2h + 0.1.
      const layer = new RNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, rng: new Rng(1) });
      layer.Wxh.assign(tensor([0.5], [1, 1]));
      layer.Whh.assign(tensor([1], [1, 1]));
      layer.bh.assign(tensor([0], [1]));
      layer.Why.assign(tensor([2], [1, 1]));
      layer.by.assign(tensor([0.1], [1]));
      expectClose(layer.forward(tensor([1, 2], [1, 2, 1])).reshape([2]), [1.0242343145200195, 1.8961260229217916], 1e-12, 'scalar RNN outputs y1, y2');
    });

    it('matches the independent NumPy reference (tests/ex4/reference/recurrent_reference.py)', () => {
      const layer = referenceRnn();
      const y = layer.forward(REFERENCE_X);
      expectClose(y.reshape([6, 2]), [
        [0.112172931706, -0.52090419412], [0.472550352379, -0.653040181919], [0.368629291121, -0.30499206848],
        [0.561400184131, -0.341556610618], [0.455314752101, -0.662209839644], [0.461706618727, -0.763184288864],
      ], 1e-10, 'RNN output for the reference weights');
      layer.backward(REFERENCE_G);
      expectClose(layer.Whh.grad, [[-0.048683627, 1.520619698], [0.165656904, -0.368541329]], 1e-7, 'RNN gradient of Whh for the reference upstream gradient');
    });
  });

  describe('training', () => {
    it(`learns to recall a symbol over 4 steps, but not over ${MEMORY_TASK.length - 1} (the LSTM's memory task)`, () => {
      const short = trainOnMemoryTask(new RNN({ inputSize: MEMORY_TASK.symbols + 1, hiddenSize: MEMORY_TASK.hiddenSize, outputSize: MEMORY_TASK.symbols, rng: new Rng(MEMORY_TASK.seed) }), { length: 5 });
      expect(short, `RNN accuracy recalling the first of 5 symbols was ${short}; it should reach 0.95 (chance 0.125). Check backward through time.`).toBeGreaterThanOrEqual(0.95);
      const long = trainOnMemoryTask(new RNN({ inputSize: MEMORY_TASK.symbols + 1, hiddenSize: MEMORY_TASK.hiddenSize, outputSize: MEMORY_TASK.symbols, rng: new Rng(MEMORY_TASK.seed) }));
      console.log(`RNN memory task: accuracy ${short.toFixed(3)} over 4 steps, ${long.toFixed(3)} over ${MEMORY_TASK.length - 1} steps (the LSTM reaches ≥ 0.95 there)`);
      expect(long, `a plain RNN should fall well short of the LSTM's 0.95 over ${MEMORY_TASK.length - 1} steps (vanishing gradients, 004: 6143–6148); it reached ${long}`).toBeLessThan(0.8);
    });
  });
});

function referenceRnn(): RNN {
  const layer = new RNN({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
  layer.Wxh.assign(tensor([0.5, -0.3, 0.8, 0.1], [2, 2]));
  layer.Whh.assign(tensor([0.9, -0.2, 0.4, 0.6], [2, 2]));
  layer.bh.assign(tensor([0.1, -0.05], [2]));
  layer.Why.assign(REFERENCE_WHY);
  layer.by.assign(REFERENCE_BY);
  return layer;
}
