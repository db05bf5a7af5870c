import fc from 'fast-check';
import { expect } from 'vitest';
import { MaxPool } from '#impl/layers/max-pool.js';
import {
  fromArray,
  NonFiniteError,
  Rng,
  ShapeError,
  StateError,
  Tensor,
  ValueError,
  zeros,
} from '../../framework/index.js';
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
import { maxPoolDefinition, nd, sameData } from '../helpers/conv-definition.js';
import { digitsCnn } from '../helpers/cnn-doubles.js';
import { GLYPH_ACCURACY, GLYPH_TRAINING, trainOnGlyphs, verifyGlyphTraining } from '../helpers/digit-glyphs.js';

/**
 * Exercise 2, MaxPool: y[b, c, i, j] = max of the window at (i·sh, j·sw), 'valid' (⌊(n − p)/s⌋ + 1
 * positions), stride = window by default. Backward sends each window's ∂L/∂y to the position of its
 * maximum only (004: 3231–3236); on a tie the FIRST maximum in row-major order gets it (the kit's rule);
 * overlapping windows that share a maximum add up there. Handout: docs/exercises/2-convolutional.md#maxpool
 */

const ones = (shape: readonly number[]): Tensor =>
  new Tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1));

interface Pass {
  kernel: [number, number];
  stride: [number, number];
  x: TensorData;
  y: TensorData;
  dy: TensorData;
  dx: TensorData;
}

/** Forward and backward of a MaxPool on `x` with upstream gradient `upstream(shape)`, as data. */
function poolPass(
  kernel: [number, number],
  stride: [number, number],
  x: Tensor,
  upstream: (shape: readonly number[]) => Tensor,
): Pass {
  const pool = new MaxPool({ kernelSize: kernel, stride });
  const y = pool.forward(x);
  const dy = upstream(y.shape);
  const dx = pool.backward(dy);
  return {
    kernel,
    stride,
    x: tensorData(x, 'x'),
    y: tensorData(y, 'MaxPool.forward'),
    dy: tensorData(dy, '∂L/∂y'),
    dx: tensorData(dx, 'MaxPool.backward'),
  };
}

/** The pass agrees with the definition; a gradient sent to the last tied maximum or to every tied maximum is named as such. */
function verifyPass(pass: Pass, label: string): void {
  const want = maxPoolDefinition(pass.x, pass.kernel, pass.stride, pass.dy);
  const where = `${label} (window [${pass.kernel.join(', ')}], stride [${pass.stride.join(', ')}], x [${pass.x.shape.join(', ')}])`;
  if (pass.y.shape.join() !== want.y.shape.join()) {
    fail(
      `${where}: MaxPool.forward returned shape [${pass.y.shape.join(', ')}], expected [${want.y.shape.join(', ')}] ('valid': ⌊(n − window)/stride⌋ + 1 positions per axis, maxPool2dCpu)`,
    );
  }
  expectClose(
    pass.y,
    want.y,
    0,
    `${where}: MaxPool.forward, y[b, c, i, j] = max over m, n of x[b, c, i·sh + m, j·sw + n] (maxPool2dCpu)`,
  );
  if (!sameData(pass.dx, want.dx, 1e-12)) {
    if (sameData(pass.dx, maxPoolDefinition(pass.x, pass.kernel, pass.stride, pass.dy, 'last').dx, 1e-12)) {
      fail(
        `${where}: MaxPool.backward sends the gradient of a window with tied maxima to the LAST of them; the kit's rule is the FIRST maximum in row-major order (compare with >, not >=, in maxPool2dBackwardCpu)`,
      );
    }
    if (sameData(pass.dx, maxPoolDefinition(pass.x, pass.kernel, pass.stride, pass.dy, 'all').dx, 1e-12)) {
      fail(
        `${where}: MaxPool.backward sends the gradient of a window to EVERY element equal to its maximum; only the first maximum in row-major order may get it (maxPool2dBackwardCpu)`,
      );
    }
  }
  expectClose(
    pass.dx,
    want.dx,
    1e-12,
    `${where}: MaxPool.backward, each window's ∂L/∂y goes to its first maximum only, and windows that share that position ADD their gradients there (maxPool2dBackwardCpu)`,
  );
}

/** Small integers: many tied maxima. */
const smallIntegers = (rng: Rng, shape: readonly number[], values: number, offset = 0): Tensor =>
  new Tensor(
    shape,
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + rng.int(values)),
  );

// Seed 000_62f7213e93c3733a.txt lines 2183–2200: 4×4 map, 2×2 filter, stride 2 → 8, 6, 9, 3.
const featureMap = (): Tensor =>
  fromArray([
    [
      [
        [1, 3, 6, 2],
        [3, 8, 1, 1],
        [2, 9, 2, 1],
        [5, 1, 3, 1],
      ],
    ],
  ]);

export default componentChecks('ex2', 'MaxPool', [
  property({
    title:
      'with stride = window the windows partition the input: ∂L/∂y = 1 puts exactly one 1 in every window, at its maximum',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 0, max: 1e6 }),
        ),
        rng,
        40,
      ).map(([ph, pw, rows, columns, seed]) => {
        const pool = new MaxPool({ kernelSize: [ph, pw] });
        const x = new Rng(seed).normalTensor([2, 2, ph * rows, pw * columns]);
        const y = pool.forward(x);
        return {
          ph,
          pw,
          rows,
          columns,
          x: tensorData(x, 'x'),
          y: tensorData(y, 'MaxPool.forward'),
          dx: tensorData(pool.backward(ones(y.shape)), 'MaxPool.backward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ ph, pw, rows, columns, x, y, dx }, sample) => {
        const label = `sample ${sample}: MaxPool [${ph}, ${pw}] (stride = window) on [2, 2, ${ph * rows}, ${pw * columns}]`;
        expect(y.shape, `${label}: output shape`).toEqual([2, 2, rows, columns]);
        for (let plane = 0; plane < 4; plane++)
          for (let i = 0; i < rows; i++)
            for (let j = 0; j < columns; j++) {
              let total = 0;
              let routed = NaN;
              const out = y.data[(plane * rows + i) * columns + j];
              for (let m = 0; m < ph; m++)
                for (let n = 0; n < pw; n++) {
                  const at = (plane * ph * rows + i * ph + m) * pw * columns + j * pw + n;
                  total += dx.data[at];
                  if (dx.data[at] !== 0) routed = x.data[at];
                  if (!(out >= x.data[at]))
                    fail(
                      `${label}: output (${i}, ${j}) of plane ${plane} is ${out}, smaller than ${x.data[at]} in its window: it must be the window's maximum`,
                    );
                }
              if (total !== 1)
                fail(
                  `${label}: window (${i}, ${j}) of plane ${plane} sends a total gradient of ${total}; with ∂L/∂y = 1 exactly one input (the maximum) must get 1`,
                );
              if (routed !== out)
                fail(
                  `${label}: window (${i}, ${j}) of plane ${plane} sends its gradient to the value ${routed}, not to its maximum ${out}`,
                );
            }
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'the output is the largest value of each window, for any stride and window (brute force)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 3, max: 7 }),
          fc.integer({ min: 0, max: 1e6 }),
        ),
        rng,
        40,
      ).map(([ph, pw, sh, sw, size, seed]) => {
        const x = new Rng(seed).normalTensor([1, 2, size, size + 1]);
        return {
          kernel: [ph, pw] as [number, number],
          stride: [sh, sw] as [number, number],
          x: tensorData(x, 'x'),
          y: tensorData(new MaxPool({ kernelSize: [ph, pw], stride: [sh, sw] }).forward(x), 'MaxPool.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ kernel, stride, x, y }, sample) => {
        const want = maxPoolDefinition(x, kernel, stride).y;
        expect(
          y.shape,
          `sample ${sample}: MaxPool window [${kernel.join(', ')}] stride [${stride.join(', ')}] on ${x.shape[2]}×${x.shape[3]} ('valid': ⌊(n − p)/s⌋ + 1)`,
        ).toEqual(want.shape);
        expectClose(
          y,
          want,
          0,
          `sample ${sample}: MaxPool window [${kernel.join(', ')}] stride [${stride.join(', ')}]: each output is the largest value of its window`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward match the definition for random windows, strides and sizes',
    weight: 2,
    run: (rng) =>
      [0, 1, 2, 3].map(() => {
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
    title:
      'many ties (small integers) under overlapping windows: the first maximum of each window gets its gradient, shared maxima add up',
    weight: 2,
    run: (rng) =>
      [0, 1].map(() => {
        const shape = [2, 2, intIn(rng, 4, 7), intIn(rng, 4, 7)];
        const x = smallIntegers(rng, shape, 3);
        return poolPass([intIn(rng, 2, 3), intIn(rng, 2, 3)], [1, 1], x, (s) => smallIntegers(rng, s, 9, 1));
      }),
    verify: (passes) =>
      passes.forEach((pass, i) => {
        verifyPass(pass, `case ${i}`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a stride that leaves rows and columns outside every window: they get no gradient',
    run: (rng) =>
      poolPass([2, 2], [3, 3], rng.normalTensor([1, 2, 3 * intIn(rng, 2, 3) + 1, 3 * intIn(rng, 2, 3) + 2]), (s) =>
        rng.normalTensor(s),
      ),
    verify: (pass) => verifyPass(pass, 'window 2×2, stride 3'),
    hiddenRerun: true,
  }),
  ...(
    [
      ['2×2 stride 2', [2, 2], undefined, [2, 2, 4, 6]],
      ['3×3 stride 2 (overlapping windows)', [3, 3], 2, [2, 1, 7, 7]],
      ['2×3 stride [1, 2]', [2, 3], [1, 2], [1, 2, 5, 7]],
    ] as const
  ).map(([label, kernelSize, stride, shape]) =>
    gradient({
      title: `match centred differences: ${label}`,
      // Normal samples are distinct, so no maximum is tied and the max is differentiable there.
      run: (rng) =>
        layerGradients(
          new MaxPool({ kernelSize: [...kernelSize], stride: typeof stride === 'object' ? [...stride] : stride }),
          rng.normalTensor([...shape]),
        ),
      verify: (report) => expectGradientsMatch(report, 1e-7),
      hiddenRerun: true,
      matchReference: false,
    }),
  ),
  gradient({
    title: 'overlapping windows that share a maximum add their gradients there',
    run: () => {
      const pool = new MaxPool({ kernelSize: [1, 3], stride: 1 });
      const y = tensorData(pool.forward(fromArray([[[[0, 1, 9, 2, 3]]]])), 'MaxPool.forward');
      return { y, dx: tensorData(pool.backward(fromArray([[[[1, 10, 100]]]])), 'MaxPool.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(y, nd([[[[9, 9, 9]]]]), 0, 'MaxPool [1, 3] stride 1 of [0, 1, 9, 2, 3]');
      expectClose(
        dx,
        nd([[[[0, 0, 111, 0, 0]]]]),
        0,
        'MaxPool.backward: all three windows route to the 9 and their gradients 1 + 10 + 100 ADD up (+=, not =)',
      );
    },
  }),
  knownValue({
    title: 'pools the 4×4 map of seed 000 (lines 2183–2200) to [[8, 6], [9, 3]]',
    run: () => tensorData(new MaxPool({ kernelSize: [2, 2], stride: 2 }).forward(featureMap()), 'MaxPool.forward'),
    verify: (y) =>
      expectClose(
        y,
        nd([
          [
            [
              [8, 6],
              [9, 3],
            ],
          ],
        ]),
        0,
        'seed 000 max pooling (2200: "entries 8, 6, 9 and 3")',
      ),
  }),
  knownValue({
    title: 'routes the gradient only to the maxima, at (1,1), (0,2), (2,1), (3,2) (004: 3231–3236)',
    run: () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      pool.forward(featureMap());
      return tensorData(
        pool.backward(
          fromArray([
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ]),
        ),
        'MaxPool.backward',
      );
    },
    verify: (dx) =>
      expectClose(
        dx,
        nd([
          [
            [
              [0, 0, 2, 0],
              [0, 1, 0, 0],
              [0, 3, 0, 0],
              [0, 0, 4, 0],
            ],
          ],
        ]),
        0,
        '"Error is propagated only along the path of the maximum value" (004: 3231–3236); every other input gets 0',
      ),
  }),
  knownValue({
    title: 'on a tie the first maximum in row-major order gets the gradient (the kit’s rule; no seed fixes one)',
    run: () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      pool.forward(
        fromArray([
          [
            [
              [5, 5],
              [5, 5],
            ],
          ],
        ]),
      );
      const constant = tensorData(pool.backward(fromArray([[[[1]]]])), 'MaxPool.backward');
      pool.forward(
        fromArray([
          [
            [
              [1, 7],
              [7, 2],
            ],
          ],
        ]),
      );
      return { constant, twoMaxima: tensorData(pool.backward(fromArray([[[[1]]]])), 'MaxPool.backward') };
    },
    verify: ({ constant, twoMaxima }) => {
      const hint =
        '(only the first maximum in row-major order gets ∂L/∂y: compare with >, not >=, and do not send it to every tied value)';
      expectClose(
        constant,
        nd([
          [
            [
              [1, 0],
              [0, 0],
            ],
          ],
        ]),
        0,
        `constant window [[5, 5], [5, 5]]: the top-left (first) element gets the whole gradient ${hint}`,
      );
      expectClose(
        twoMaxima,
        nd([
          [
            [
              [0, 1],
              [0, 0],
            ],
          ],
        ]),
        0,
        `tie between (0,1) and (1,0) in [[1, 7], [7, 2]]: (0,1) comes first in row-major order ${hint}`,
      );
    },
  }),
  badInput({
    title:
      'explains bad options and input: a 1-D window, stride 0, a 3-D input, a window larger than the input, NaN, backward before forward',
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(
        new MaxPool({ kernelSize: [2, 2] }).forward(zeros([1, 1, 4, 4])),
        'MaxPool.forward',
      ).shape;
      const withNaN = zeros([1, 1, 4, 4]);
      withNaN.set(NaN, 0, 0, 1, 2);
      return {
        shape,
        oneDWindow: thrown(() => new MaxPool({ kernelSize: [2] })),
        zeroStride: thrown(() => new MaxPool({ kernelSize: [2, 2], stride: 0 })),
        threeD: thrown(() => new MaxPool({ kernelSize: [2, 2] }).forward(zeros([2, 8, 8]))),
        doesNotFit: thrown(() => new MaxPool({ kernelSize: [3, 3] }).forward(zeros([1, 1, 2, 5]))),
        nan: thrown(() => new MaxPool({ kernelSize: [2, 2] }).forward(withNaN)),
        backwardFirst: thrown(() => new MaxPool({ kernelSize: [2, 2] }).backward(zeros([1, 1, 1, 1]))),
      };
    },
    verify: ({ shape, oneDWindow, zeroStride, threeD, doesNotFit, nan, backwardFirst }) => {
      expect(shape, 'MaxPool.forward of [1, 1, 4, 4] with a 2×2 window').toEqual([1, 1, 2, 2]);
      expectError(oneDWindow, ValueError.name, 'new MaxPool with kernelSize [2]', ['kernelSize']);
      expectError(zeroStride, ValueError.name, 'new MaxPool with stride 0', ['stride must be a positive integer']);
      expectError(threeD, ShapeError.name, 'MaxPool.forward of a [2, 8, 8] input', [
        'MaxPool.forward expected input [batch, channels, height, width], got [2, 8, 8]',
      ]);
      expectError(doesNotFit, ShapeError.name, 'MaxPool.forward of a 2×5 input with a 3×3 window', ['does not fit']);
      expectError(nan, NonFiniteError.name, 'MaxPool.forward of an input holding NaN');
      expectError(backwardFirst, StateError.name, 'MaxPool.backward before any forward', ['before forward']);
    },
  }),
  training({
    title: `MaxPool in a small CNN (test-local other layers, loss and Adam) learns to classify held-out digit glyphs (accuracy ≥ ${GLYPH_ACCURACY})`,
    weight: 2,
    // Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → Dense(64→32) → ReLU → Dense(32→10): only the MaxPool is yours.
    run: (rng) =>
      trainOnGlyphs(digitsCnn({ pool: new MaxPool({ kernelSize: [2, 2] }) }, rng.fork()), rng, {
        ...GLYPH_TRAINING,
        what: 'the CNN with your MaxPool',
      }),
    verify: (data) =>
      verifyGlyphTraining(
        data,
        'CNN with your MaxPool',
        'Check MaxPool.forward and where backward sends the gradient (the checks above say which).',
      ),
    matchReference: false,
  }),
]);
