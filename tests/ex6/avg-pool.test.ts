import fc from 'fast-check';
import { expect } from 'vitest';
import { AvgPool } from '#impl/layers/avg-pool.js';
import { Tensor, zeros } from '../../framework/index.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  fail,
  intIn,
  knownValue,
  property,
  tensorData,
} from '../harness/index.js';
import { avgPoolDefinition, type AvgPoolMistake } from '../helpers/avg-pool-definition.js';
import { plane, planeTensor, poolingChecks, seed000FeatureMap, type PoolingSpec } from '../helpers/pooling-checks.js';

/**
 * Exercise 6, AvgPool: y[b, c, i, j] = mean of the window at (i·sh, j·sw), 'valid' (⌊(n − p)/s⌋ + 1
 * positions, seed 000: 2169–2171), stride = window by default. Backward: "Error is shared to equal parts"
 * (004: 3238–3242): each input of a window gets ∂L/∂y/(ph·pw) from it, and overlapping windows add up.
 * Handout: docs/exercises/6-modern.md#avgpool
 * The definition check on random windows, centred differences, bad input and the stroke training are the
 * pooling layers' shared checks (tests/helpers/pooling-checks.ts); this file adds the averaging laws
 * (a constant stays constant, each window passes on exactly its ∂L/∂y) and the known values.
 */

/** AvgPool for the shared pooling checks: compared with avgPoolDefinition, its usual backward mistakes named. */
const avgPool: PoolingSpec<AvgPoolMistake> = {
  name: 'AvgPool',
  geometry: { kind: 'window', layer: AvgPool },
  forward:
    "y[b, c, i, j] = (1/(ph·pw))·Σ over m < ph, n < pw of x[b, c, i·sh + m, j·sw + n] (divide by the window's area, not the stride's)",
  backward:
    'every input of window (i, j) gets ∂L/∂y[i, j]/(ph·pw), and an input that several windows cover ADDS their shares',
  definitionName: 'the definition',
  definition: (x, { kernel, stride }, dy, mistake) => avgPoolDefinition(x, kernel, stride, dy, mistake),
  mistakes: {
    assign: 'lets windows that overlap OVERWRITE each other’s share (dX[…] = instead of +=)',
    first:
      'sends each window’s whole ∂L/∂y to its FIRST element, as max pooling does; average pooling shares it among all ph·pw inputs (004: 3242)',
    undivided: 'gives each input the window’s whole ∂L/∂y; it must get ∂L/∂y/(ph·pw), its equal part (004: 3242)',
  },
  forwardTolerance: 1e-12,
  randomCases: 5,
  training: { filters: 4, iterations: 60, lr: 0.02 },
};

export default componentChecks('ex6', 'AvgPool', [
  ...poolingChecks(avgPool),
  property({
    title: 'a constant image stays constant, for any window and stride',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.double({ min: -5, max: 5, noNaN: true }),
        ),
        rng,
        30,
      ).map(([ph, pw, sh, sw, value]) => {
        const x = new Tensor([2, 2, ph + 3, pw + 2], new Float64Array(4 * (ph + 3) * (pw + 2)).fill(value));
        return {
          ph,
          pw,
          sh,
          sw,
          value,
          y: tensorData(new AvgPool({ kernelSize: [ph, pw], stride: [sh, sw] }).forward(x), 'AvgPool.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ ph, pw, sh, sw, value, y }, i) => {
        const index = y.data.findIndex((v) => Math.abs(v - value) > 1e-12 * (1 + Math.abs(value)));
        if (index >= 0)
          fail(
            `sample ${i}: AvgPool [${ph}, ${pw}] stride [${sh}, ${sw}] of an image that is ${value} everywhere gave ${y.data[index]} at flat index ${index}; the mean of a constant window is the constant (sum the ph·pw values, then divide by ph·pw)`,
          );
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'each window passes on exactly its ∂L/∂y: Σ ∂L/∂x = Σ ∂L/∂y, and for ∂L/∂y = 1 an input gets (windows covering it)/(ph·pw)',
    run: (rng) =>
      [0, 1, 2].map(() => {
        const kernel: [number, number] = [intIn(rng, 2, 3), intIn(rng, 2, 3)];
        const stride: [number, number] = [intIn(rng, 1, kernel[0]), intIn(rng, 1, kernel[1])];
        const shape = [1, 2, intIn(rng, 4, 7), intIn(rng, 4, 7)];
        const pool = new AvgPool({ kernelSize: kernel, stride });
        const y = pool.forward(rng.normalTensor(shape));
        const dy = rng.normalTensor(y.shape);
        const dx = tensorData(pool.backward(dy), 'AvgPool.backward');
        const ones = new Tensor(y.shape, new Float64Array(y.size).fill(1));
        return {
          kernel,
          stride,
          shape,
          dy: tensorData(dy, '∂L/∂y'),
          dx,
          dxOfOnes: tensorData(pool.backward(ones), 'AvgPool.backward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ kernel, stride, shape, dy, dx, dxOfOnes }, i) => {
        const [ph, pw] = kernel;
        const [sh, sw] = stride;
        const label = `case ${i}: AvgPool [${ph}, ${pw}] stride [${sh}, ${sw}] on [${shape.join(', ')}]`;
        const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
        if (Math.abs(sum(dx.data) - sum(dy.data)) > 1e-9 * (1 + Math.abs(sum(dy.data)))) {
          fail(
            `${label}: Σ ∂L/∂x = ${sum(dx.data)} but Σ ∂L/∂y = ${sum(dy.data)}; each window shares its ∂L/∂y out in ph·pw equal parts, so nothing may be lost or counted twice`,
          );
        }
        const [, , height, width] = shape;
        const oh = Math.floor((height - ph) / sh) + 1;
        const ow = Math.floor((width - pw) / sw) + 1;
        const covering = (r: number, k: number, size: number, s: number): number => {
          let count = 0;
          for (let i2 = 0; i2 < size; i2++) if (r >= i2 * s && r < i2 * s + k) count++;
          return count;
        };
        for (let c = 0; c < 2; c++)
          for (let r = 0; r < height; r++)
            for (let s = 0; s < width; s++) {
              const want = (covering(r, ph, oh, sh) * covering(s, pw, ow, sw)) / (ph * pw);
              const got = dxOfOnes.data[(c * height + r) * width + s];
              if (Math.abs(got - want) > 1e-12)
                fail(
                  `${label}, ∂L/∂y = 1: input (${r}, ${s}) of channel ${c} got ${got}; ${want * ph * pw} windows cover it, so it must get ${want * ph * pw}/${ph * pw} = ${want}`,
                );
            }
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'the 4×4 map of seed 000 (lines 2183–2186), 2×2 stride 2: [[3.75, 2.5], [4.25, 1.75]]; backward gives each input 1/4 of its window’s gradient (004: 3242)',
    run: () => {
      const pool = new AvgPool({ kernelSize: [2, 2], stride: 2 });
      const y = tensorData(pool.forward(seed000FeatureMap()), 'AvgPool.forward');
      return {
        y,
        dx: tensorData(
          pool.backward(
            planeTensor([
              [4, 8],
              [12, 16],
            ]),
          ),
          'AvgPool.backward',
        ),
      };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        plane([
          [3.75, 2.5],
          [4.25, 1.75],
        ]),
        1e-15,
        'average pooling of seed 000’s map (the seeds-catalogue §4.6 derives these from 000: 2183–2186)',
      );
      expectClose(
        dx,
        plane([
          [1, 1, 2, 2],
          [1, 1, 2, 2],
          [3, 3, 4, 4],
          [3, 3, 4, 4],
        ]),
        1e-15,
        'AvgPool.backward of [[4, 8], [12, 16]]: "Error is shared to equal parts" (004: 3242), each window’s four inputs get a quarter',
      );
    },
  }),
  knownValue({
    title:
      'overlapping windows by hand: x = 0…15 on 4×4, 2×2 stride 1 → y = 4i + j + 2.5; ∂L/∂y = 1 gives 1/4 at the corners, 1/2 on the edges, 1 inside',
    run: () => {
      const pool = new AvgPool({ kernelSize: [2, 2], stride: 1 });
      const y = tensorData(
        pool.forward(
          new Tensor(
            [1, 1, 4, 4],
            Float64Array.from({ length: 16 }, (_, i) => i),
          ),
        ),
        'AvgPool.forward',
      );
      return {
        y,
        dx: tensorData(pool.backward(new Tensor([1, 1, 3, 3], new Float64Array(9).fill(1))), 'AvgPool.backward'),
      };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        plane([
          [2.5, 3.5, 4.5],
          [6.5, 7.5, 8.5],
          [10.5, 11.5, 12.5],
        ]),
        1e-15,
        'AvgPool [2, 2] stride 1 of 0…15: window (i, j) holds 4i + j, 4i + j + 1, 4i + j + 4, 4i + j + 5',
      );
      expectClose(
        dx,
        plane([
          [0.25, 0.5, 0.5, 0.25],
          [0.5, 1, 1, 0.5],
          [0.5, 1, 1, 0.5],
          [0.25, 0.5, 0.5, 0.25],
        ]),
        1e-15,
        'AvgPool.backward: a corner is in 1 window, an edge in 2, the inside in 4, each sends 1/4 and the shares ADD up (+=, not =)',
      );
    },
  }),
  knownValue({
    title:
      'output sizes follow o = ⌊(i − k)/s⌋ + 1 (seed 000: 2169–2171; seeds-catalogue §4.12): 5/k2/s1 → 4, 4/k2/s2 → 2, 7/k3/s2 → 3, 8/k3/s3 → 2, 10/k3/s1 → 8, 5/k5 → 1',
    run: () =>
      (
        [
          [5, 2, 1],
          [4, 2, 2],
          [7, 3, 2],
          [8, 3, 3],
          [10, 3, 1],
          [5, 5, 5],
        ] as const
      ).map(
        ([size, k, s]) =>
          tensorData(
            new AvgPool({ kernelSize: [k, k], stride: s }).forward(zeros([1, 1, size, size + 1])),
            'AvgPool.forward',
          ).shape,
      ),
    verify: (shapes) =>
      expect(
        shapes,
        "AvgPool.forward's output shapes for inputs i × (i + 1) ('valid', no padding: ⌊(i − k)/s⌋ + 1 per axis, 000: 2171; the last rows and columns a window cannot reach are dropped)",
      ).toEqual([
        [1, 1, 4, 5],
        [1, 1, 2, 2],
        [1, 1, 3, 3],
        [1, 1, 2, 3],
        [1, 1, 8, 9],
        [1, 1, 1, 1],
      ]),
  }),
  knownValue({
    title:
      'the stride defaults to the window, and the window is divided by its own area, not the stride’s: [1, 1, 2, 4] with window 2×2 stride 1',
    run: () => {
      const x = planeTensor([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ]);
      return {
        tiled: tensorData(new AvgPool({ kernelSize: [2, 2] }).forward(x), 'AvgPool.forward'),
        sliding: tensorData(new AvgPool({ kernelSize: [2, 2], stride: 1 }).forward(x), 'AvgPool.forward'),
      };
    },
    verify: ({ tiled, sliding }) => {
      expectClose(
        tiled,
        plane([[3.5, 5.5]]),
        1e-15,
        'new AvgPool({ kernelSize: [2, 2] }): stride = window by default, so two windows',
      );
      expectClose(
        sliding,
        plane([[3.5, 4.5, 5.5]]),
        1e-15,
        'AvgPool [2, 2] stride 1: three windows, each the sum of its 4 values / 4 (the window’s area)',
      );
    },
  }),
]);
