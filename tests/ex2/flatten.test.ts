import fc from 'fast-check';
import { expect } from 'vitest';
import { Flatten } from '#impl/layers/flatten.js';
import { fromArray, Rng, ShapeError, StateError, Tensor, zeros } from '../../framework/index.js';
import {
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
import { nd } from '../helpers/conv-definition.js';
import { digitsCnn } from '../helpers/cnn-doubles.js';
import { GLYPH_ACCURACY, GLYPH_TRAINING, trainOnGlyphs, verifyGlyphTraining } from '../helpers/digit-glyphs.js';

/**
 * Exercise 2, Flatten: [batch, d1, …, dn] → [batch, d1·…·dn] in row-major order (for an image the
 * feature index is (c·H + h)·W + w); backward reshapes ∂L/∂y back to the input's shape, nothing is
 * computed. Handout: docs/exercises/2-convolutional.md#flatten
 */

/** Forward of a random x and backward of an upstream gradient that is NOT the output (so returning the cached input is caught). */
function flattenPass(
  shape: readonly number[],
  rng: Rng,
): { x: TensorData; y: TensorData; dy: TensorData; dx: TensorData } {
  const layer = new Flatten();
  const x = rng.normalTensor(shape);
  const y = layer.forward(x);
  const dy = rng.normalTensor([shape[0], shape.slice(1).reduce((a, b) => a * b, 1)]);
  return {
    x: tensorData(x, 'x'),
    y: tensorData(y, 'Flatten.forward'),
    dy: tensorData(dy, '∂L/∂y'),
    dx: tensorData(layer.backward(dy), 'Flatten.backward'),
  };
}

function verifyPass({ x, y, dy, dx }: ReturnType<typeof flattenPass>, label: string): void {
  const [batch, ...rest] = x.shape;
  const features = rest.reduce((a, b) => a * b, 1);
  expect(y.shape, `${label}: Flatten.forward of [${x.shape.join(', ')}] must give [batch, ∏ other axes]`).toEqual([
    batch,
    features,
  ]);
  expectClose(
    y,
    { shape: [batch, features], data: x.data },
    0,
    `${label}: Flatten.forward must keep the elements in row-major order (reshape, no transpose)`,
  );
  if (dx.shape.join() !== x.shape.join())
    fail(
      `${label}: Flatten.backward returned shape [${dx.shape.join(', ')}]; it must restore the input's shape [${x.shape.join(', ')}] (reshape ∂L/∂y to the shape forward saw)`,
    );
  if (dx.data.every((v, i) => v === x.data[i]) && dy.data.some((v, i) => v !== x.data[i]))
    fail(`${label}: Flatten.backward returned the forward input; it must return ∂L/∂y reshaped to the input's shape`);
  expectClose(
    dx,
    { shape: x.shape, data: dy.data },
    0,
    `${label}: Flatten.backward must return ∂L/∂y's elements unchanged, in the same order, in the input's shape`,
  );
}

export default componentChecks('ex2', 'Flatten', [
  property({
    title: 'round-trips: backward(forward(x)) has x’s shape and elements, forward gives [batch, ∏ rest]',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 1e6 }),
        ),
        rng,
        40,
      ).map(([rest, batch, seed]) => {
        const x = new Rng(seed).normalTensor([batch, ...rest]);
        const layer = new Flatten();
        const y = layer.forward(x);
        return {
          x: tensorData(x, 'x'),
          y: tensorData(y, 'Flatten.forward'),
          back: tensorData(layer.backward(y), 'Flatten.backward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ x, y, back }, i) => {
        const features = x.shape.slice(1).reduce((a, b) => a * b, 1);
        expect(y.shape, `sample ${i}: Flatten.forward of [${x.shape.join(', ')}]`).toEqual([x.shape[0], features]);
        expect(
          back.shape,
          `sample ${i}: Flatten.backward(forward(x)) must restore the input shape [${x.shape.join(', ')}]`,
        ).toEqual(x.shape);
        expectClose(back, x, 0, `sample ${i}: Flatten.backward(forward(x)) must keep every element in place`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on random ranks 2 to 5, with an upstream gradient other than the output',
    weight: 2,
    run: (rng) =>
      [2, 3, 4, 5].map((rank) =>
        flattenPass(
          Array.from({ length: rank }, () => intIn(rng, 1, 4)),
          rng,
        ),
      ),
    verify: (passes) =>
      passes.forEach((pass, i) => {
        verifyPass(pass, `rank ${i + 2}`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a batch of one image',
    run: (rng) => flattenPass([1, intIn(rng, 1, 3), intIn(rng, 2, 5), intIn(rng, 2, 5)], rng),
    verify: (pass) => verifyPass(pass, 'a batch of one'),
    hiddenRerun: true,
  }),
  gradient({
    title: 'match centred differences',
    run: (rng) => layerGradients(new Flatten(), rng.normalTensor([3, 2, 3, 4])),
    verify: (report) => expectGradientsMatch(report, 1e-8),
    hiddenRerun: true,
    matchReference: false,
  }),
  knownValue({
    title: 'orders features channel-major, row-major within a channel: index (c·H + h)·W + w (as PyTorch)',
    run: () =>
      tensorData(
        new Flatten().forward(
          fromArray([
            [
              [
                [1, 2],
                [3, 4],
              ],
              [
                [5, 6],
                [7, 8],
              ],
            ],
            [
              [
                [9, 10],
                [11, 12],
              ],
              [
                [13, 14],
                [15, 16],
              ],
            ],
          ]),
        ),
        'Flatten.forward',
      ),
    verify: (y) =>
      expectClose(
        y,
        [
          [1, 2, 3, 4, 5, 6, 7, 8],
          [9, 10, 11, 12, 13, 14, 15, 16],
        ],
        0,
        'Flatten of [2, 2, 2, 2] (channel-major; a channel-last order would interleave the channels)',
      ),
  }),
  knownValue({
    title: 'backward reshapes ∂L/∂y [2, 12] back to the input shape [2, 3, 2, 2]',
    run: () => {
      const layer = new Flatten();
      layer.forward(zeros([2, 3, 2, 2]));
      return tensorData(
        layer.backward(
          new Tensor(
            [2, 12],
            Float64Array.from({ length: 24 }, (_, i) => i + 1),
          ),
        ),
        'Flatten.backward',
      );
    },
    verify: (dx) => {
      const expected = [0, 1].map((b) =>
        [0, 1, 2].map((c) => [0, 1].map((h) => [0, 1].map((w) => 12 * b + 4 * c + 2 * h + w + 1))),
      );
      expectClose(
        dx,
        nd(expected),
        0,
        'Flatten.backward of 1…24 as [2, 12]: ∂L/∂x[b, c, h, w] = ∂L/∂y[b, (c·H + h)·W + w], shape [2, 3, 2, 2]',
      );
    },
  }),
  badInput({
    title: 'explains bad input: a 1-D input, backward before forward, a gradient of the wrong shape',
    run: () => {
      const layer = new Flatten();
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(layer.forward(zeros([2, 3, 4])), 'Flatten.forward').shape;
      return {
        shape,
        oneD: thrown(() => new Flatten().forward(zeros([5]))),
        backwardFirst: thrown(() => new Flatten().backward(zeros([1, 4]))),
        wrongGradient: thrown(() => layer.backward(zeros([2, 11]))),
      };
    },
    verify: ({ shape, oneD, backwardFirst, wrongGradient }) => {
      expect(shape, 'Flatten.forward of [2, 3, 4]').toEqual([2, 12]);
      expectError(oneD, ShapeError.name, 'Flatten.forward of a [5] input (no batch axis to keep)', ['at least 2 axes']);
      expectError(backwardFirst, StateError.name, 'Flatten.backward before any forward', ['before forward']);
      expectError(wrongGradient, ShapeError.name, 'Flatten.backward of a [2, 11] gradient after forward of [2, 3, 4]', [
        'expected gradOutput [2, 12], got [2, 11]',
      ]);
    },
  }),
  training({
    title: `Flatten in a small CNN (test-local other layers, loss and Adam) learns to classify held-out digit glyphs (accuracy ≥ ${GLYPH_ACCURACY})`,
    // Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → Dense(64→32) → ReLU → Dense(32→10): only the Flatten is yours.
    run: (rng) =>
      trainOnGlyphs(digitsCnn({ flatten: new Flatten() }, rng.fork()), rng, {
        ...GLYPH_TRAINING,
        what: 'the CNN with your Flatten',
      }),
    verify: (data) =>
      verifyGlyphTraining(
        data,
        'CNN with your Flatten',
        'Check that Flatten.backward returns ∂L/∂y in the input shape.',
      ),
    matchReference: false,
  }),
]);
