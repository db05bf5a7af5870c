import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, NonFiniteError, Rng, StateError, tensor, ShapeError } from '../../framework/index.js';
import { SoftMax } from '#impl/activations/softmax.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectFinite,
  expectGradientsMatch,
  fail,
  gradient,
  intIn,
  knownValue,
  layerGradients,
  matrix,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { softmaxOf } from '../helpers/cpu-reference.js';
import { ProbabilityCrossEntropyDouble } from '../helpers/doubles.js';
import { trainOnIris, verifyIrisTraining } from '../helpers/iris-training.js';
import { denseDouble } from '../helpers/dense-double.js';

/**
 * Exercise 1, SoftMax over the last axis: ŷ_k = exp(x_k − m) / Σ_j exp(x_j − m), m = max_j x_j;
 * backward ∂L/∂x = ŷ ⊙ (E − Σ_k E_k ŷ_k) per row. Handout: docs/exercises/1-feed-forward.md#softmax
 */

/** The definition: the max-shifted softmax of the CPU reference (exact for any finite logits), and y ⊙ (e − y·e) row by row. */
function definition(x: TensorData, e?: TensorData): { y: TensorData; dx?: TensorData } {
  const classes = x.shape[x.shape.length - 1];
  const y = softmaxOf(x).data;
  const dx = new Array<number>(x.data.length).fill(0);
  for (let row = 0; row < x.data.length; row += classes) {
    if (e) {
      let dot = 0;
      for (let k = 0; k < classes; k++) dot += e.data[row + k] * y[row + k];
      for (let k = 0; k < classes; k++) dx[row + k] = y[row + k] * (e.data[row + k] - dot);
    }
  }
  return { y: { shape: x.shape, data: y }, dx: e ? { shape: x.shape, data: dx } : undefined };
}

/** Every row of `y` is a distribution: entries in [0, 1], summing to 1. */
function expectDistributions(y: TensorData, what: string): void {
  expectFinite(y, what);
  const classes = y.shape[y.shape.length - 1];
  for (let row = 0; row < y.data.length / classes; row++) {
    let total = 0;
    for (let k = 0; k < classes; k++) {
      const p = y.data[row * classes + k];
      if (!(p >= 0 && p <= 1)) fail(`${what}: row ${row}, class ${k} is ${p}, not a probability in [0, 1]`);
      total += p;
    }
    if (Math.abs(total - 1) >= 1e-12)
      fail(
        `${what}: row ${row} sums to ${total}, not 1; divide each row by its own sum (over the last axis), not by the whole batch's`,
      );
  }
}

export default componentChecks('ex1', 'SoftMax', [
  property({
    title: 'every row is a probability distribution: entries in [0, 1], summing to 1',
    run: (rng) =>
      drawSamples(matrix(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), 50), rng, 40).map((rows) =>
        tensorData(new SoftMax().forward(fromArray(rows)), 'SoftMax.forward'),
      ),
    verify: (samples) =>
      samples.forEach((y, s) => {
        expectDistributions(y, `sample ${s}: SoftMax.forward`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is invariant to adding a constant to a row (and so stable for large inputs)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 })),
          fc.double({ min: -800, max: 800, noNaN: true }),
        ),
        rng,
        40,
      ).map(([rows, shift]) => {
        const softmax = new SoftMax();
        const base = tensorData(softmax.forward(fromArray(rows)), 'SoftMax.forward');
        return {
          shift,
          base,
          shifted: tensorData(
            softmax.forward(fromArray(rows.map((row) => row.map((v) => v + shift)))),
            'SoftMax.forward',
          ),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ shift, base, shifted }, s) => {
        expectClose(
          shifted,
          base,
          1e-9,
          `sample ${s}: SoftMax(x + ${shift}) must equal SoftMax(x); subtract each row's maximum before exp`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on random logits of random size agree with the definition',
    run: (rng) => {
      const shape = [intIn(rng, 1, 6), intIn(rng, 2, 8)];
      const layer = new SoftMax();
      const x = rng.normalTensor(shape, 0, 3);
      const e = rng.normalTensor(shape);
      const y = tensorData(layer.forward(x), 'SoftMax.forward');
      return { x: tensorData(x, 'x'), e: tensorData(e, 'E'), y, dx: tensorData(layer.backward(e), 'SoftMax.backward') };
    },
    verify: ({ x, e, y, dx }) => {
      const want = definition(x, e);
      expectClose(y, want.y, 1e-12, 'SoftMax.forward: exp(x_k − m) / Σ_j exp(x_j − m) per row');
      expectClose(
        dx,
        want.dx!,
        1e-12,
        'SoftMax.backward: ŷ ⊙ (E − Σ_k E_k ŷ_k), the sum taken over each row (the last axis), not over the batch',
      );
    },
    hiddenRerun: true,
  }),
  property({
    title: 'rows of logits up to ±800, and rows that are all very negative, give proper distributions, no NaN',
    run: (rng) => {
      const classes = intIn(rng, 2, 5);
      const wide = rng.uniformTensor([3, classes], -800, 800);
      // All logits of a row near −1000: exp(x) underflows to 0 for every class, so 0/0 = NaN without the max shift.
      const negative = rng.uniformTensor([2, classes], -1010, -1000);
      const x = tensor([...wide.data, ...negative.data], [5, classes]);
      return { x: tensorData(x, 'x'), y: tensorData(new SoftMax().forward(x), 'SoftMax.forward') };
    },
    verify: ({ x, y }) => {
      expectDistributions(
        y,
        'SoftMax.forward on logits of ±800 and of about −1000 (subtract the row maximum before exp)',
      );
      expectClose(y, definition(x).y, 1e-9, 'SoftMax.forward on large logits');
    },
    hiddenRerun: true,
  }),
  ...[
    [1, 2],
    [3, 4],
    [5, 10],
  ].map(([batch, classes]) =>
    gradient({
      title: `input gradient matches centred differences for [${batch}, ${classes}]`,
      run: () => {
        const rng = new Rng(batch * 31 + classes);
        return layerGradients(new SoftMax(), rng.normalTensor([batch, classes], 0, 2));
      },
      verify: (report) => expectGradientsMatch(report, 1e-5),
    }),
  ),
  knownValue({
    title: 'reproduces the softmax table of seed 004: 1428–1436 (4 decimals)',
    // The slide says "three-class problem" but lists four classes (catalogue §6).
    run: () => tensorData(new SoftMax().forward(fromArray([[-3.44, 1.16, -0.81, 3.91]])), 'SoftMax.forward'),
    verify: (y) => {
      expectClose(y, [[0.000599, 0.059552, 0.008305, 0.931545]], 1e-5, 'seed 004: 1433–1436');
      expect(
        y.data.map((v) => v.toFixed(4)),
        'seed 004: 1433–1436 to 4 decimals',
      ).toEqual(['0.0006', '0.0596', '0.0083', '0.9315']);
    },
  }),
  knownValue({
    title: 'reproduces the softmax of f_in = (3, −1, 1) of seed 000: 876 and τ((1, 1000, 2)) ≈ (0, 1, 0) of 000: 610',
    run: () => ({
      fin: tensorData(new SoftMax().forward(fromArray([[3, -1, 1]])), 'SoftMax.forward'),
      tau: tensorData(new SoftMax().forward(fromArray([[1, 1000, 2]])), 'SoftMax.forward'),
    }),
    verify: ({ fin, tau }) => {
      expectClose(fin, [[0.866813, 0.015876, 0.11731]], 1e-5, 'seed 000: 876');
      expectClose(tau, [[0, 1, 0]], 1e-12, 'seed 000: 610 (needs the max shift: exp(1000) is ∞ in float64)');
    },
  }),
  knownValue({
    title: 'reproduces the sigmoid → softmax output of seed 000: 614–643 (derived: (0.083054, 0.897160, 0.019786))',
    run: () => tensorData(new SoftMax().forward(fromArray([[0.571802, 2.951549, -0.86271]])), 'SoftMax.forward'),
    verify: (y) => expectClose(y, [[0.083054, 0.89716, 0.019786]], 1e-5, 'seed 000: 614–643'),
  }),
  knownValue({
    title: 'rows (1, 2, 3), (0, 0, 0) and (1000, 1001, 1002): the last must not overflow',
    run: () => ({
      small: tensorData(new SoftMax().forward(tensor([1, 2, 3, 0, 0, 0], [2, 3])), 'SoftMax.forward'),
      large: tensorData(new SoftMax().forward(tensor([1000, 1001, 1002], [1, 3])), 'SoftMax.forward'),
    }),
    verify: ({ small, large }) => {
      // softmax(1, 2, 3) = (e⁰, e¹, e²) / (1 + e + e²).
      expectClose(
        small,
        [
          [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
          [1 / 3, 1 / 3, 1 / 3],
        ],
        1e-12,
        'SoftMax.forward of rows (1, 2, 3) and (0, 0, 0)',
      );
      expectClose(
        large,
        [[0.09003057317038046, 0.24472847105479764, 0.6652409557748218]],
        1e-12,
        'SoftMax.forward of (1000, 1001, 1002) (= softmax(0, 1, 2): subtract the row maximum)',
      );
    },
  }),
  knownValue({
    title:
      'rows of very negative logits (−1000, −1001) and (−1000, −1000, −1000) give (0.731059, 0.268941) and (⅓, ⅓, ⅓), not NaN',
    run: () => ({
      two: tensorData(new SoftMax().forward(fromArray([[-1000, -1001]])), 'SoftMax.forward'),
      three: tensorData(new SoftMax().forward(fromArray([[-1000, -1000, -1000]])), 'SoftMax.forward'),
    }),
    verify: ({ two, three }) => {
      // softmax(−1000, −1001) = softmax(0, −1) = (1, e⁻¹) / (1 + e⁻¹). Without the shift, exp(−1000) = 0 and 0/0 = NaN.
      expectFinite(
        two,
        'SoftMax.forward of (−1000, −1001): every exp underflows to 0 unless the row maximum is subtracted first',
      );
      expectClose(two, [[0.7310585786300049, 0.2689414213699951]], 1e-12, 'SoftMax.forward of (−1000, −1001)');
      expectClose(three, [[1 / 3, 1 / 3, 1 / 3]], 1e-12, 'SoftMax.forward of (−1000, −1000, −1000)');
    },
  }),
  knownValue({
    title: 'backward: the Jacobian diag(ŷ) − ŷŷᵀ applied to a known gradient (seed 000: 609)',
    run: () => {
      const layer = new SoftMax();
      layer.forward(tensor([1, 2, 3, 0.5, -0.5, 0], [2, 3]));
      return tensorData(layer.backward(tensor([1, 0, 0, 0.2, -0.4, 1], [2, 3])), 'SoftMax.backward');
    },
    verify: (dx) =>
      // Row by row ŷ ⊙ (E − Σ_k E_k ŷ_k), with ŷ = softmax(1, 2, 3) and softmax(0.5, −0.5, 0).
      expectClose(
        dx,
        [
          [0.08192506906499324, -0.022033044520174298, -0.05989202454481893],
          [-0.0678493665420908, -0.13675462098284927, 0.20460398752494008],
        ],
        1e-12,
        'SoftMax.backward = ŷ ⊙ (E − Σ_k E_k ŷ_k), per row',
      ),
  }),
  badInput({
    title: 'rejects backward before forward, non-finite input, and an empty class axis',
    run: () => {
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const half = tensorData(new SoftMax().forward(tensor([0, 0], [1, 2])), 'SoftMax.forward');
      return {
        half,
        early: thrown(() => new SoftMax().backward(tensor([1], [1, 1]))),
        infinite: thrown(() => new SoftMax().forward(tensor([1, Infinity], [1, 2]))),
        empty: thrown(() => new SoftMax().forward(tensor([], [2, 0]))),
      };
    },
    verify: ({ half, early, infinite, empty }) => {
      expectClose(half, [[0.5, 0.5]], 0, 'SoftMax.forward of (0, 0)');
      expectError(early, StateError.name, 'SoftMax.backward before any forward');
      expectError(infinite, NonFiniteError.name, 'SoftMax.forward of an input holding ∞');
      expectError(empty, ShapeError.name, 'SoftMax.forward of a [2, 0] input (no classes)');
    },
  }),
  training({
    title:
      'a linear layer followed by your SoftMax learns Iris with cross-entropy on probabilities (test accuracy ≥ 0.9)',
    // The linear layer, the loss and the update are test-local doubles: only the SoftMax is yours.
    run: () =>
      trainOnIris({
        seed: 4,
        layers: (rng) => [denseDouble(4, 3, rng, 'uniform'), new SoftMax()],
        loss: new ProbabilityCrossEntropyDouble(),
        what: 'the network ending in your SoftMax',
      }),
    verify: (data) =>
      verifyIrisTraining(data, {
        lossHint: 'check SoftMax.backward',
        network: 'a linear layer followed by your SoftMax',
      }),
    matchReference: false,
  }),
]);
