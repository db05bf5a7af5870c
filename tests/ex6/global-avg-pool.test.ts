import fc from 'fast-check';
import { expect } from 'vitest';
import { GlobalAvgPool } from '#impl/layers/global-avg-pool.js';
import { fromArray, NonFiniteError, ShapeError, StateError, Tensor, zeros } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  gradient,
  intIn,
  knownValue,
  layerGradients,
  property,
  tensorData,
  thrown,
  training,
} from '../harness/index.js';
import { avgPoolDefinition } from '../helpers/avg-pool-definition.js';
import { ReluDouble } from '../helpers/cnn-doubles.js';
import { denseDouble } from '../helpers/dense-double.js';
import { ConvDouble } from '../helpers/conv-double.js';
import { trainOnStrokes, verifyStrokeTraining } from '../helpers/stroke-training.js';

/**
 * Exercise 6, GlobalAvgPool: [batch, C, H, W] → [batch, C], y[b, c] = mean over h, w of x[b, c, h, w]
 * ("Global (spatial) average pooling as last layer", seed 004: 5060–5061; "arbitrary input sizes",
 * 004: 3281). It is average pooling with the window = the whole image, flattened; backward gives every
 * position of channel c the share ∂L/∂y[b, c]/(H·W). Handout: docs/exercises/6-modern.md#globalavgpool
 */
const hint =
  'y[b, c] = (1/(H·W))·Σ over h, w of x[b, c, h, w]: one mean per example and channel, over the spatial positions only ([batch, C, H, W] is row-major, channel c of example b is the block of H·W values at (b·C + c)·H·W)';

export default componentChecks('ex6', 'GlobalAvgPool', [
  property({
    title:
      'equals average pooling with the window = the whole image, flattened to [batch, C], forward and backward (random shapes)',
    weight: 2,
    run: (rng) =>
      [0, 1, 2, 3].map(() => {
        const shape = [intIn(rng, 1, 3), intIn(rng, 1, 4), intIn(rng, 1, 6), intIn(rng, 1, 6)];
        const pool = new GlobalAvgPool();
        const x = rng.normalTensor(shape);
        const y = pool.forward(x);
        const dy = rng.normalTensor([shape[0], shape[1]]);
        return {
          x: tensorData(x, 'x'),
          y: tensorData(y, 'GlobalAvgPool.forward'),
          dy: tensorData(dy, '∂L/∂y'),
          dx: tensorData(pool.backward(dy), 'GlobalAvgPool.backward'),
        };
      }),
    verify: (passes) =>
      passes.forEach(({ x, y, dy, dx }, i) => {
        const [batch, channels, height, width] = x.shape;
        const want = avgPoolDefinition(x, [height, width], [height, width], {
          shape: [batch, channels, 1, 1],
          data: dy.data,
        });
        const label = `case ${i} (x [${x.shape.join(', ')}])`;
        expectClose(
          y,
          { shape: [batch, channels], data: want.y.data },
          1e-12,
          `${label}: GlobalAvgPool.forward must return [batch, C] = [${batch}, ${channels}], ${hint}`,
        );
        expectClose(
          dx,
          want.dx!,
          1e-12,
          `${label}: GlobalAvgPool.backward: every position of channel c of example b gets ∂L/∂y[b, c]/(H·W)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'channels and examples stay apart: a map that is v[b, c] everywhere pools to v[b, c], whatever H and W',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 0, max: 1e6 }),
        ),
        rng,
        25,
      ).map(([batch, channels, height, width, seed]) => {
        const values = Array.from({ length: batch * channels }, (_, k) => ((seed + 7 * k) % 19) - 9 + 0.25 * k);
        const x = new Tensor(
          [batch, channels, height, width],
          Float64Array.from(
            { length: batch * channels * height * width },
            (_, k) => values[Math.floor(k / (height * width))],
          ),
        );
        return {
          shape: [batch, channels, height, width],
          values,
          y: tensorData(new GlobalAvgPool().forward(x), 'GlobalAvgPool.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ shape, values, y }, i) => {
        expectClose(
          y,
          { shape: shape.slice(0, 2), data: values },
          1e-12,
          `sample ${i}: GlobalAvgPool of [${shape.join(', ')}] where channel c of example b is constant: ${hint}`,
        );
      }),
    hiddenRerun: true,
  }),
  ...(
    [
      ['[2, 3, 4, 5]', [2, 3, 4, 5]],
      ['[1, 2, 1, 7] (a single row)', [1, 2, 1, 7]],
      ['[3, 1, 6, 6]', [3, 1, 6, 6]],
    ] as const
  ).map(([label, shape]) =>
    gradient({
      title: `match centred differences: ${label}`,
      run: (rng) => layerGradients(new GlobalAvgPool(), rng.normalTensor([...shape])),
      verify: (report) => expectGradientsMatch(report, 1e-7),
      hiddenRerun: true,
      matchReference: false,
    }),
  ),
  knownValue({
    title: 'the 4×4 map of seed 000 (lines 2183–2186) pools to its mean 49/16 = 3.0625; each input gets 1/16 of ∂L/∂y',
    run: () => {
      const pool = new GlobalAvgPool();
      const y = tensorData(
        pool.forward(
          fromArray([
            [
              [
                [1, 3, 6, 2],
                [3, 8, 1, 1],
                [2, 9, 2, 1],
                [5, 1, 3, 1],
              ],
            ],
          ]),
        ),
        'GlobalAvgPool.forward',
      );
      return { y, dx: tensorData(pool.backward(fromArray([[8]])), 'GlobalAvgPool.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(y, [[3.0625]], 1e-15, `GlobalAvgPool.forward of seed 000's map, [1, 1, 4, 4] → [1, 1]: ${hint}`);
      expectClose(
        dx,
        { shape: [1, 1, 4, 4], data: new Array(16).fill(0.5) },
        1e-15,
        'GlobalAvgPool.backward of ∂L/∂y = 8: each of the 16 inputs gets 8/16 (004: 3242, shared to equal parts)',
      );
    },
  }),
  knownValue({
    title: 'two examples × two channels of 2×3 maps pool to one number per example and channel: [[2.5, 10], [−1, 0]]',
    run: () => {
      const pool = new GlobalAvgPool();
      const x = fromArray([
        [
          [
            [0, 1, 2],
            [3, 4, 5],
          ],
          [
            [10, 10, 10],
            [10, 10, 10],
          ],
        ],
        [
          [
            [-1, -1, -1],
            [-1, -1, -1],
          ],
          [
            [6, -6, 3],
            [-3, 0, 0],
          ],
        ],
      ]);
      const y = tensorData(pool.forward(x), 'GlobalAvgPool.forward');
      return {
        y,
        dx: tensorData(
          pool.backward(
            fromArray([
              [6, 12],
              [-6, 0],
            ]),
          ),
          'GlobalAvgPool.backward',
        ),
      };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        [
          [2.5, 10],
          [-1, 0],
        ],
        1e-15,
        `GlobalAvgPool.forward of a [2, 2, 2, 3] input must be [2, 2]: ${hint}`,
      );
      expectClose(
        dx,
        {
          shape: [2, 2, 2, 3],
          data: [...new Array(6).fill(1), ...new Array(6).fill(2), ...new Array(6).fill(-1), ...new Array(6).fill(0)],
        },
        1e-15,
        'GlobalAvgPool.backward of [[6, 12], [−6, 0]]: channel c of example b gets ∂L/∂y[b, c]/6 at each of its 6 positions',
      );
    },
  }),
  badInput({
    title:
      'explains bad input: a 3-D or 2-D input, NaN, backward before forward, a gradient of the wrong shape ([b, C, 1, 1] or [b, C + 1])',
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const pool = new GlobalAvgPool();
      const shape = tensorData(pool.forward(zeros([2, 3, 4, 4])), 'GlobalAvgPool.forward').shape;
      const withNaN = zeros([1, 2, 3, 3]);
      withNaN.set(NaN, 0, 1, 2, 0);
      return {
        shape,
        threeD: thrown(() => new GlobalAvgPool().forward(zeros([3, 8, 8]))),
        twoD: thrown(() => new GlobalAvgPool().forward(zeros([3, 8]))),
        nan: thrown(() => new GlobalAvgPool().forward(withNaN)),
        backwardFirst: thrown(() => new GlobalAvgPool().backward(zeros([1, 1]))),
        fourDGradient: thrown(() => pool.backward(zeros([2, 3, 1, 1]))),
        wrongChannels: thrown(() => pool.backward(zeros([2, 4]))),
      };
    },
    verify: ({ shape, threeD, twoD, nan, backwardFirst, fourDGradient, wrongChannels }) => {
      expect(shape, 'GlobalAvgPool.forward of [2, 3, 4, 4] returns [batch, C]').toEqual([2, 3]);
      expectError(threeD, ShapeError.name, 'GlobalAvgPool.forward of a [3, 8, 8] input', [
        'GlobalAvgPool.forward expected input [batch, channels, height, width], got [3, 8, 8]',
      ]);
      expectError(twoD, ShapeError.name, 'GlobalAvgPool.forward of a [3, 8] input');
      expectError(nan, NonFiniteError.name, 'GlobalAvgPool.forward of an input holding NaN');
      expectError(backwardFirst, StateError.name, 'GlobalAvgPool.backward before any forward', ['before forward']);
      expectError(
        fourDGradient,
        ShapeError.name,
        'GlobalAvgPool.backward of a [2, 3, 1, 1] gradient (the output is [2, 3])',
        ['gradOutput'],
      );
      expectError(
        wrongChannels,
        ShapeError.name,
        'GlobalAvgPool.backward of a [2, 4] gradient after a [2, 3, 4, 4] input',
        ['gradOutput'],
      );
    },
  }),
  training({
    title:
      'a test-local conv, ReLU, your GlobalAvgPool and one dense layer classify held-out stroke images (accuracy ≥ 0.8; chance 0.25)',
    weight: 2,
    // Conv(1→6, 3×3, same) → ReLU → GlobalAvgPool → Dense(6→4), Adam: only the GlobalAvgPool is yours. The pooled
    // detector responses do not depend on where the stroke is, so six numbers per image separate the classes
    // (004: 5060, NiN's global average pooling as the last layer); its backward trains the convolution.
    run: (rng) => {
      const model = rng.fork();
      const layers = [
        ConvDouble.same(1, 6, [8, 8], [3, 3], model),
        new ReluDouble(),
        new GlobalAvgPool(),
        denseDouble(6, 4, model),
      ];
      return trainOnStrokes(layers, rng, {
        iterations: 100,
        batchSize: 16,
        lr: 0.05,
        what: 'the network with your GlobalAvgPool',
      });
    },
    verify: (data) =>
      verifyStrokeTraining(
        data,
        0.8,
        'Conv → ReLU → your GlobalAvgPool → Dense',
        'Check GlobalAvgPool.forward and backward (the checks above say which).',
      ),
    matchReference: false,
  }),
]);
