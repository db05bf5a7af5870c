import fc from 'fast-check';
import { expect } from 'vitest';
import { AvgPool } from '#impl/layers/avg-pool.js';
import { fromArray, NonFiniteError, ShapeError, StateError, Tensor, ValueError, zeros } from '../../framework/index.js';
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
import { avgPoolDefinition } from '../helpers/avg-pool-definition.js';
import { FlattenDouble, ReluDouble } from '../helpers/cnn-doubles.js';
import { denseDouble } from '../helpers/dense-double.js';
import { ConvDouble } from '../helpers/conv-double.js';
import { nd, sameData } from '../helpers/conv-definition.js';
import { trainOnStrokes, verifyStrokeTraining } from '../helpers/stroke-training.js';

/**
 * Exercise 6, AvgPool: y[b, c, i, j] = mean of the window at (i·sh, j·sw), 'valid' (⌊(n − p)/s⌋ + 1
 * positions, seed 000: 2169–2171), stride = window by default. Backward: "Error is shared to equal parts"
 * (004: 3238–3242): each input of a window gets ∂L/∂y/(ph·pw) from it, and overlapping windows add up.
 * Handout: docs/exercises/6-modern.md#avgpool
 */

interface Pass {
  kernel: [number, number];
  stride: [number, number];
  x: TensorData;
  y: TensorData;
  dy: TensorData;
  dx: TensorData;
}

/** Forward and backward of an AvgPool on `x` with upstream gradient `upstream(shape)`, as data. */
function poolPass(
  kernel: [number, number],
  stride: [number, number],
  x: Tensor,
  upstream: (shape: readonly number[]) => Tensor,
): Pass {
  const pool = new AvgPool({ kernelSize: kernel, stride });
  const y = pool.forward(x);
  const dy = upstream(y.shape);
  const dx = pool.backward(dy);
  return {
    kernel,
    stride,
    x: tensorData(x, 'x'),
    y: tensorData(y, 'AvgPool.forward'),
    dy: tensorData(dy, '∂L/∂y'),
    dx: tensorData(dx, 'AvgPool.backward'),
  };
}

const MISTAKES = {
  assign: 'windows that overlap OVERWRITE each other’s share (dX[…] = instead of +=)',
  first:
    'each window sends its whole ∂L/∂y to its FIRST element, as max pooling does; average pooling shares it among all ph·pw inputs (004: 3242)',
  undivided: 'each input gets the window’s whole ∂L/∂y; it must get ∂L/∂y/(ph·pw), its equal part (004: 3242)',
} as const;

/** The pass agrees with the definition; a known wrong backward is named as such. */
function verifyPass(pass: Pass, label: string): void {
  const want = avgPoolDefinition(pass.x, pass.kernel, pass.stride, pass.dy);
  const where = `${label} (window [${pass.kernel.join(', ')}], stride [${pass.stride.join(', ')}], x [${pass.x.shape.join(', ')}])`;
  if (pass.y.shape.join() !== want.y.shape.join()) {
    fail(
      `${where}: AvgPool.forward returned shape [${pass.y.shape.join(', ')}], expected [${want.y.shape.join(', ')}] ('valid': ⌊(n − window)/stride⌋ + 1 positions per axis, 000: 2171)`,
    );
  }
  expectClose(
    pass.y,
    want.y,
    1e-12,
    `${where}: AvgPool.forward, y[b, c, i, j] = (1/(ph·pw))·Σ over m < ph, n < pw of x[b, c, i·sh + m, j·sw + n] (divide by the window's area, not the stride's)`,
  );
  if (!sameData(pass.dx, want.dx!, 1e-12)) {
    for (const [mistake, words] of Object.entries(MISTAKES)) {
      if (
        sameData(
          pass.dx,
          avgPoolDefinition(pass.x, pass.kernel, pass.stride, pass.dy, mistake as keyof typeof MISTAKES).dx!,
          1e-12,
        )
      )
        fail(`${where}: AvgPool.backward: ${words}`);
    }
  }
  expectClose(
    pass.dx,
    want.dx!,
    1e-12,
    `${where}: AvgPool.backward, every input of window (i, j) gets ∂L/∂y[i, j]/(ph·pw), and an input that several windows cover ADDS their shares`,
  );
}

export default componentChecks('ex6', 'AvgPool', [
  property({
    title: 'forward and backward match the definition for random windows, strides and sizes',
    weight: 2,
    run: (rng) =>
      [0, 1, 2, 3, 4].map(() => {
        const kernel: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
        const stride: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
        const shape = [intIn(rng, 1, 2), intIn(rng, 1, 3), intIn(rng, kernel[0], 8), intIn(rng, kernel[1], 8)];
        return poolPass(kernel, stride, rng.normalTensor(shape), (s) => rng.normalTensor(s));
      }),
    verify: (passes) =>
      passes.forEach((pass, i) => {
        verifyPass(pass, `case ${i}`);
      }),
    hiddenRerun: true,
  }),
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
  ...(
    [
      ['2×2 stride 2', [2, 2], undefined, [2, 2, 4, 6]],
      ['3×3 stride 2 (overlapping windows)', [3, 3], 2, [2, 1, 7, 7]],
      ['2×3 stride [1, 2], a column left over', [2, 3], [1, 2], [1, 2, 5, 8]],
    ] as const
  ).map(([label, kernelSize, stride, shape]) =>
    gradient({
      title: `match centred differences: ${label}`,
      run: (rng) =>
        layerGradients(
          new AvgPool({ kernelSize: [...kernelSize], stride: typeof stride === 'object' ? [...stride] : stride }),
          rng.normalTensor([...shape]),
        ),
      verify: (report) => expectGradientsMatch(report, 1e-7),
      hiddenRerun: true,
      matchReference: false,
    }),
  ),
  knownValue({
    title:
      'the 4×4 map of seed 000 (lines 2183–2186), 2×2 stride 2: [[3.75, 2.5], [4.25, 1.75]]; backward gives each input 1/4 of its window’s gradient (004: 3242)',
    run: () => {
      const pool = new AvgPool({ kernelSize: [2, 2], stride: 2 });
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
        'AvgPool.forward',
      );
      return {
        y,
        dx: tensorData(
          pool.backward(
            fromArray([
              [
                [
                  [4, 8],
                  [12, 16],
                ],
              ],
            ]),
          ),
          'AvgPool.backward',
        ),
      };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        nd([
          [
            [
              [3.75, 2.5],
              [4.25, 1.75],
            ],
          ],
        ]),
        1e-15,
        'average pooling of seed 000’s map (the seeds-catalogue §4.6 derives these from 000: 2183–2186)',
      );
      expectClose(
        dx,
        nd([
          [
            [
              [1, 1, 2, 2],
              [1, 1, 2, 2],
              [3, 3, 4, 4],
              [3, 3, 4, 4],
            ],
          ],
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
        nd([
          [
            [
              [2.5, 3.5, 4.5],
              [6.5, 7.5, 8.5],
              [10.5, 11.5, 12.5],
            ],
          ],
        ]),
        1e-15,
        'AvgPool [2, 2] stride 1 of 0…15: window (i, j) holds 4i + j, 4i + j + 1, 4i + j + 4, 4i + j + 5',
      );
      expectClose(
        dx,
        nd([
          [
            [
              [0.25, 0.5, 0.5, 0.25],
              [0.5, 1, 1, 0.5],
              [0.5, 1, 1, 0.5],
              [0.25, 0.5, 0.5, 0.25],
            ],
          ],
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
      const x = fromArray([
        [
          [
            [1, 2, 3, 4],
            [5, 6, 7, 8],
          ],
        ],
      ]);
      return {
        tiled: tensorData(new AvgPool({ kernelSize: [2, 2] }).forward(x), 'AvgPool.forward'),
        sliding: tensorData(new AvgPool({ kernelSize: [2, 2], stride: 1 }).forward(x), 'AvgPool.forward'),
      };
    },
    verify: ({ tiled, sliding }) => {
      expectClose(
        tiled,
        nd([[[[3.5, 5.5]]]]),
        1e-15,
        'new AvgPool({ kernelSize: [2, 2] }): stride = window by default, so two windows',
      );
      expectClose(
        sliding,
        nd([[[[3.5, 4.5, 5.5]]]]),
        1e-15,
        'AvgPool [2, 2] stride 1: three windows, each the sum of its 4 values / 4 (the window’s area)',
      );
    },
  }),
  badInput({
    title:
      'explains bad options and input: a 1-D window, non-integer window or stride, stride 0, a 3-D input, a window larger than the input, NaN, backward before forward, a gradient of the wrong shape',
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const pool = new AvgPool({ kernelSize: [2, 2] });
      const shape = tensorData(pool.forward(zeros([1, 1, 4, 4])), 'AvgPool.forward').shape;
      const withNaN = zeros([1, 1, 4, 4]);
      withNaN.set(NaN, 0, 0, 1, 2);
      return {
        shape,
        oneDWindow: thrown(() => new AvgPool({ kernelSize: [2] })),
        fractionalWindow: thrown(() => new AvgPool({ kernelSize: [1.5, 2] })),
        fractionalStride: thrown(() => new AvgPool({ kernelSize: [2, 2], stride: 1.5 })),
        zeroStride: thrown(() => new AvgPool({ kernelSize: [2, 2], stride: [1, 0] })),
        threeD: thrown(() => new AvgPool({ kernelSize: [2, 2] }).forward(zeros([2, 8, 8]))),
        doesNotFit: thrown(() => new AvgPool({ kernelSize: [3, 3] }).forward(zeros([1, 1, 2, 5]))),
        nan: thrown(() => new AvgPool({ kernelSize: [2, 2] }).forward(withNaN)),
        backwardFirst: thrown(() => new AvgPool({ kernelSize: [2, 2] }).backward(zeros([1, 1, 1, 1]))),
        wrongGradient: thrown(() => pool.backward(zeros([1, 1, 3, 3]))),
      };
    },
    verify: ({
      shape,
      oneDWindow,
      fractionalWindow,
      fractionalStride,
      zeroStride,
      threeD,
      doesNotFit,
      nan,
      backwardFirst,
      wrongGradient,
    }) => {
      expect(shape, 'AvgPool.forward of [1, 1, 4, 4] with a 2×2 window').toEqual([1, 1, 2, 2]);
      expectError(oneDWindow, ValueError.name, 'new AvgPool with kernelSize [2]', ['kernelSize']);
      expectError(fractionalWindow, ValueError.name, 'new AvgPool with kernelSize [1.5, 2]', ['kernelSize']);
      expectError(fractionalStride, ValueError.name, 'new AvgPool with stride 1.5', [
        'stride must be a positive integer',
      ]);
      expectError(zeroStride, ValueError.name, 'new AvgPool with stride [1, 0]', ['stride must be a positive integer']);
      expectError(threeD, ShapeError.name, 'AvgPool.forward of a [2, 8, 8] input', [
        'AvgPool.forward expected input [batch, channels, height, width], got [2, 8, 8]',
      ]);
      expectError(doesNotFit, ShapeError.name, 'AvgPool.forward of a 2×5 input with a 3×3 window', ['does not fit']);
      expectError(nan, NonFiniteError.name, 'AvgPool.forward of an input holding NaN');
      expectError(backwardFirst, StateError.name, 'AvgPool.backward before any forward', ['before forward']);
      expectError(
        wrongGradient,
        ShapeError.name,
        'AvgPool.backward of a [1, 1, 3, 3] gradient after a [1, 1, 4, 4] input pooled to [1, 1, 2, 2]',
        ['gradOutput'],
      );
    },
  }),
  training({
    title:
      'AvgPool between a test-local conv and dense layer learns to classify held-out stroke images (accuracy ≥ 0.8; chance 0.25)',
    weight: 2,
    // Conv(1→4, 3×3, same) → ReLU → AvgPool 2×2 → Flatten → Dense(64→4), Adam: only the AvgPool is yours.
    // Its backward carries the gradient to the convolution, so both passes matter.
    run: (rng) => {
      const model = rng.fork();
      const layers = [
        ConvDouble.same(1, 4, [8, 8], [3, 3], model),
        new ReluDouble(),
        new AvgPool({ kernelSize: [2, 2] }),
        new FlattenDouble(),
        denseDouble(64, 4, model),
      ];
      return trainOnStrokes(layers, rng, {
        iterations: 60,
        batchSize: 16,
        lr: 0.02,
        what: 'the network with your AvgPool',
      });
    },
    verify: (data) =>
      verifyStrokeTraining(
        data,
        0.8,
        'Conv → ReLU → your AvgPool → Dense',
        'Check AvgPool.forward and backward (the checks above say which).',
      ),
    matchReference: false,
  }),
]);
