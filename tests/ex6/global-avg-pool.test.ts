import fc from 'fast-check';
import { GlobalAvgPool } from '#impl/layers/global-avg-pool.js';
import { fromArray, Tensor } from '../../framework/index.js';
import { componentChecks, drawSamples, expectClose, knownValue, property, tensorData } from '../harness/index.js';
import { avgPoolDefinition } from '../helpers/avg-pool-definition.js';
import { poolingChecks, seed000FeatureMap, type PoolingSpec } from '../helpers/pooling-checks.js';

/**
 * Exercise 6, GlobalAvgPool: [batch, C, H, W] → [batch, C], y[b, c] = mean over h, w of x[b, c, h, w]
 * ("Global (spatial) average pooling as last layer", seed 004: 5060–5061; "arbitrary input sizes",
 * 004: 3281). It is average pooling with the window = the whole image, flattened; backward gives every
 * position of channel c the share ∂L/∂y[b, c]/(H·W). Handout: docs/exercises/6-modern.md#globalavgpool
 * The shared pooling checks (tests/helpers/pooling-checks.ts) compare it with that whole-image window on
 * random shapes and add centred differences, bad input and the stroke training; this file adds that
 * channels and examples stay apart, and the known values.
 */
const hint =
  'y[b, c] = (1/(H·W))·Σ over h, w of x[b, c, h, w]: one mean per example and channel, over the spatial positions only ([batch, C, H, W] is row-major, channel c of example b is the block of H·W values at (b·C + c)·H·W)';

/**
 * GlobalAvgPool for the shared pooling checks. Its definition is AvgPool's with the window = the whole
 * image ([H, W] at stride [H, W], one position), flattened from [batch, C, 1, 1] to [batch, C]; the
 * upstream [batch, C] is read in the same row-major order.
 */
const globalAvgPool: PoolingSpec<'undivided'> = {
  name: 'GlobalAvgPool',
  geometry: { kind: 'global', layer: GlobalAvgPool },
  forward: hint,
  backward: 'every position of channel c of example b gets ∂L/∂y[b, c]/(H·W)',
  definitionName: 'average pooling with the window = the whole image, flattened to [batch, C],',
  definition: (x, { kernel, stride }, dy, mistake) => {
    const { y, dx } = avgPoolDefinition(x, kernel, stride, dy, mistake);
    return { y: { shape: y.shape.slice(0, 2), data: y.data }, dx };
  },
  mistakes: { undivided: 'copies ∂L/∂y[b, c] to every position without dividing by H·W' },
  forwardTolerance: 1e-12,
  randomCases: 4,
  // The pooled detector responses do not depend on where the stroke is, so six numbers per image separate
  // the classes (004: 5060, NiN's global average pooling as the last layer).
  training: { filters: 6, iterations: 100, lr: 0.05 },
};

export default componentChecks('ex6', 'GlobalAvgPool', [
  ...poolingChecks(globalAvgPool),
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
  knownValue({
    title: 'the 4×4 map of seed 000 (lines 2183–2186) pools to its mean 49/16 = 3.0625; each input gets 1/16 of ∂L/∂y',
    run: () => {
      const pool = new GlobalAvgPool();
      const y = tensorData(pool.forward(seed000FeatureMap()), 'GlobalAvgPool.forward');
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
]);
