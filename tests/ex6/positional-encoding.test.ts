import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, NonFiniteError, Rng, ShapeError, StateError, Tensor } from '../../framework/index.js';
import { PositionalEncoding } from '#impl/layers/positional-encoding.js';
import {
  accuracyOf,
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  fail,
  gradient,
  intIn,
  knownValue,
  layerGradients,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { sinusoid, sinusoidTable } from '../helpers/attention-definition.js';
import { forwardThrough, TokenDense, trainTokenClassifier } from '../helpers/attention-doubles.js';
import { sameData } from '../helpers/conv-definition.js';

/**
 * Exercise 6, PositionalEncoding: y[b, t, :] = x[b, t, :] + PE[t, :] with PE[pos, 2i] = sin(pos/10000^(2i/d)),
 * PE[pos, 2i+1] = cos(pos/10000^(2i/d)) (the Transformer's sinusoid; seed 004: 7798 names positional
 * encoding without a formula). No parameters; the gradient passes through unchanged.
 * Handout: docs/exercises/6-modern.md#positionalencoding
 */

const WHERE = 'PositionalEncoding';

/** `y − x` of one forward on a random batch, with its shape. */
function addedTable(rng: Rng) {
  const [batch, time, d] = [intIn(rng, 1, 3), intIn(rng, 1, 9), intIn(rng, 1, 9)];
  const x = rng.normalTensor([batch, time, d]);
  const y = tensorData(new PositionalEncoding().forward(x), `${WHERE}.forward`);
  return { x: tensorData(x, 'x'), y };
}

function verifyAdded({ x, y }: ReturnType<typeof addedTable>): void {
  const [batch, time, d] = x.shape;
  expect(y.shape, `${WHERE}.forward returns the input's shape`).toEqual(x.shape);
  const added = { shape: x.shape, data: y.data.map((v, i) => v - x.data[i]) };
  const table = sinusoidTable(time, d);
  const want = { shape: x.shape, data: Array.from({ length: batch }, () => table.data).flat() };
  const swapped = { shape: x.shape, data: want.data.map((_, i) => sinusoid(Math.floor(i / d) % time, i % d, d, true)) };
  if (time > 0 && d > 0 && !sameData(added, want, 1e-12) && sameData(added, swapped, 1e-12)) {
    fail(
      `${WHERE}.forward adds cos on the even features and sin on the odd ones; PE[pos, 2i] = sin(pos/10000^(2i/d)) and PE[pos, 2i+1] = cos(…) (T ${time}, d ${d})`,
    );
  }
  expectClose(
    added,
    want,
    1e-12,
    `${WHERE}.forward − x for T ${time}, d ${d}: PE[t, :] added to every sequence of the batch, PE[pos, 2i] = sin(pos/10000^(2i/d)), PE[pos, 2i+1] = cos(pos/10000^(2i/d))`,
  );
}

/** Position read-out (handout: docs/exercises/6-modern.md#positionalencoding): T positions, d features, noise σ on the tokens. */
const POSITIONS = { time: 8, d: 16, noise: 0.1, batch: 16, iterations: 80, lr: 0.05, test: 100 };

/** Tokens x ~ N(0, σ²) [n, T, d] and each token's position as its label. */
function positionBatch(rng: Rng, count: number) {
  const { time, d, noise } = POSITIONS;
  const labels = Array.from({ length: count * time }, (_, i) => i % time);
  const y = new Float64Array(count * time * time);
  labels.forEach((label, row) => {
    y[row * time + label] = 1;
  });
  return { x: rng.normalTensor([count, time, d], 0, noise), y: new Tensor([count * time, time], y), labels };
}

export default componentChecks('ex6', 'PositionalEncoding', [
  property({
    title: 'forward adds the same sinusoid table to every sequence of the batch (random shapes, odd d included)',
    run: (rng) => addedTable(rng),
    verify: verifyAdded,
    hiddenRerun: true,
  }),
  property({
    title: 'the table: values in [−1, 1], sin² + cos² = 1 for every pair of features, row 0 = (0, 1, 0, 1, …)',
    run: (rng) =>
      drawSamples(
        fc.record({ time: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 12 }) }),
        rng,
        25,
      ).map(({ time, d }) => ({
        time,
        d,
        table: tensorData(new PositionalEncoding().encoding(time, d), `${WHERE}.encoding`),
      })),
    verify: (samples) =>
      samples.forEach(({ time, d, table }, s) => {
        expect(table.shape, `sample ${s}: ${WHERE}.encoding(${time}, ${d}) must be [T, d]`).toEqual([time, d]);
        for (let pos = 0; pos < time; pos++) {
          for (let f = 0; f < d; f++) {
            const value = table.data[pos * d + f];
            if (!(Math.abs(value) <= 1)) fail(`sample ${s}: PE[${pos}, ${f}] = ${value} is outside [−1, 1]`);
            if (pos === 0 && value !== (f % 2 === 0 ? 0 : 1))
              fail(
                `sample ${s}: PE[0, ${f}] = ${value}; at position 0 every sine is 0 and every cosine 1 (sin on even features, cos on odd)`,
              );
          }
          for (let f = 0; f + 1 < d; f += 2) {
            const norm = table.data[pos * d + f] ** 2 + table.data[pos * d + f + 1] ** 2;
            if (Math.abs(norm - 1) > 1e-12)
              fail(
                `sample ${s}: PE[${pos}, ${f}]² + PE[${pos}, ${f + 1}]² = ${norm}; features 2i and 2i+1 are the sine and cosine of the same angle pos/10000^(2i/d)`,
              );
          }
        }
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'backward passes the gradient through unchanged, for any shape',
    run: (rng) =>
      Array.from({ length: 5 }, () => {
        const shape = [intIn(rng, 1, 3), intIn(rng, 1, 6), intIn(rng, 1, 6)];
        const layer = new PositionalEncoding();
        layer.forward(rng.normalTensor(shape));
        const g = rng.normalTensor(shape);
        return { g: tensorData(g, 'G'), dx: tensorData(layer.backward(g), `${WHERE}.backward`) };
      }),
    verify: (samples) =>
      samples.forEach(({ g, dx }, s) => {
        expectClose(
          dx,
          g,
          0,
          `sample ${s}: ${WHERE}.backward: y = x + PE, so ∂L/∂x = ∂L/∂y exactly (the table does not depend on x)`,
        );
      }),
    hiddenRerun: true,
  }),
  gradient({
    title: 'the input matches centred differences (the layer has no parameters)',
    run: () => {
      const rng = new Rng(81);
      return layerGradients(new PositionalEncoding(), rng.normalTensor([2, 5, 6]));
    },
    verify: (report) => {
      expect(report.parameters.length, `${WHERE}.parameters() must be empty: the sinusoid is fixed, not learned`).toBe(
        0,
      );
      expectGradientsMatch(report, 1e-8);
    },
  }),
  knownValue({
    title:
      'd = 4, positions 0–2: PE[1] = (sin 1, cos 1, sin 0.01, cos 0.01) = (0.84147, 0.54030, 0.0099998, 0.99995), PE[2] = (sin 2, cos 2, sin 0.02, cos 0.02)',
    // 10000^(2/4) = 100, so features 2 and 3 turn at pos/100.
    run: () => tensorData(new PositionalEncoding().encoding(3, 4), `${WHERE}.encoding`),
    verify: (table) =>
      expectClose(
        table,
        [
          [0, 1, 0, 1],
          [0.8414709848078965, 0.5403023058681398, 0.009999833334166664, 0.9999500004166653],
          [0.9092974268256817, -0.4161468365471424, 0.01999866669333308, 0.9998000066665778],
        ],
        1e-12,
        `${WHERE}.encoding(3, 4): PE[pos, 2i] = sin(pos/10000^(2i/d)), PE[pos, 2i+1] = cos(pos/10000^(2i/d))`,
      ),
  }),
  knownValue({
    title:
      'd = 6 at position 3 (10000^(2/6) = 21.544, 10000^(4/6) = 464.16) and an odd d = 5 at position 2 (the last feature is a sine)',
    run: () => ({
      six: tensorData(new PositionalEncoding().encoding(4, 6), `${WHERE}.encoding`),
      five: tensorData(new PositionalEncoding().encoding(3, 5), `${WHERE}.encoding`),
    }),
    verify: ({ six, five }) => {
      expectClose(
        { shape: [6], data: six.data.slice(18, 24) },
        [
          0.1411200080598672, -0.9899924966004454, 0.13879810108005056, 0.990320699135675, 0.006463259070189646,
          0.9999791129229608,
        ],
        1e-12,
        `${WHERE}.encoding(4, 6) row 3: (sin 3, cos 3, sin(3/21.544), cos(3/21.544), sin(3/464.16), cos(3/464.16))`,
      );
      expectClose(
        { shape: [5], data: five.data.slice(10, 15) },
        [0.9092974268256817, -0.4161468365471424, 0.050216599387465206, 0.9987383506934931, 0.0012619143540422218],
        1e-12,
        `${WHERE}.encoding(3, 5) row 2: the exponent uses the pair index 2i over d = 5, and feature 4 is sin(2/10000^(4/5))`,
      );
    },
  }),
  knownValue({
    title:
      'forward of ones [2, 2, 2]: every sequence becomes [[1, 2], [1 + sin 1, 1 + cos 1]] = [[1, 2], [1.84147, 1.54030]]',
    run: () =>
      tensorData(
        new PositionalEncoding().forward(
          fromArray([
            [
              [1, 1],
              [1, 1],
            ],
            [
              [1, 1],
              [1, 1],
            ],
          ]),
        ),
        `${WHERE}.forward`,
      ),
    verify: (y) => {
      const row = [
        [1, 2],
        [1.8414709848078965, 1.5403023058681398],
      ];
      expectClose(
        y,
        [row, row],
        1e-12,
        `${WHERE}.forward: y = x + PE (d = 2: PE[pos] = (sin pos, cos pos)), the same for each sequence`,
      );
    },
  }),
  badInput({
    title: 'refuses an input that is not [batch, T, d], and NaN',
    run: () => {
      const layer = new PositionalEncoding();
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const shape = tensorData(layer.forward(new Tensor([1, 2, 3], new Float64Array(6))), `${WHERE}.forward`).shape;
      return {
        shape,
        rank: thrown(() => layer.forward(new Tensor([2, 3], new Float64Array(6)))),
        nan: thrown(() => layer.forward(new Tensor([1, 1, 2], Float64Array.of(0, NaN)))),
      };
    },
    verify: ({ shape, rank, nan }) => {
      expect(shape, `${WHERE}.forward of a [1, 2, 3] batch`).toEqual([1, 2, 3]);
      expectError(rank, ShapeError.name, 'forward of a [2, 3] matrix', ['[batch, time, features]', '[2, 3]']);
      expectError(nan, NonFiniteError.name, 'forward of an input holding NaN');
    },
  }),
  badInput({
    title: 'rejects backward before forward and a gradient of another shape',
    run: () => {
      const layer = new PositionalEncoding();
      const early = thrown(() => layer.backward(new Tensor([1, 2, 2], new Float64Array(4))));
      const shape = tensorData(layer.forward(new Tensor([1, 2, 2], new Float64Array(4))), `${WHERE}.forward`).shape;
      return { early, shape, wrongShape: thrown(() => layer.backward(new Tensor([1, 3, 2], new Float64Array(6)))) };
    },
    verify: ({ early, shape, wrongShape }) => {
      expectError(early, StateError.name, 'backward before any forward');
      expect(shape, `${WHERE}.forward of a [1, 2, 2] batch`).toEqual([1, 2, 2]);
      expectError(wrongShape, ShapeError.name, 'backward of a [1, 3, 2] gradient for a [1, 2, 2] input');
    },
  }),
  training({
    title: `a linear read-out of x + PE learns the position of every token: held-out accuracy ≥ 0.95 after ${POSITIONS.iterations} Adam steps (chance 1/${POSITIONS.time}: x alone carries no position)`,
    // Only the encoding is yours: the read-out (a dense double), the loss and Adam are test-local doubles.
    run: (rng) => {
      const { time, d, batch, iterations, lr, test } = POSITIONS;
      const layers = [new PositionalEncoding(), new TokenDense(d, time, rng.fork())];
      const held = positionBatch(rng.fork(), test);
      const scores = (): TensorData =>
        tensorData(
          new Tensor([test * time, time], forwardThrough(layers, held.x).data),
          'the read-out of PositionalEncoding.forward',
        );
      const before = scores();
      const data = rng.fork();
      const losses = trainTokenClassifier(layers, () => positionBatch(data, batch), { iterations, lr });
      return { before, after: scores(), labels: held.labels, losses };
    },
    verify: ({ before, after, labels, losses }) => {
      const [untrained, trained] = [accuracyOf(before, labels), accuracyOf(after, labels)];
      if (!(trained >= 0.95))
        fail(
          `held-out accuracy of the position read-out is ${trained.toFixed(3)} (untrained ${untrained.toFixed(3)}), expected ≥ 0.95; the loss went from ${losses[0].toFixed(4)} to ${losses.at(-1)!.toFixed(4)}. Each position must get its own row PE[t, :], the same in every sequence.`,
        );
    },
    matchReference: false,
  }),
]);
