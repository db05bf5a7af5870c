import fc from 'fast-check';
import { expect } from 'vitest';
import { MaxPool } from '#impl/layers/max-pool.js';
import { Rng, Tensor } from '../../framework/index.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  fail,
  gradient,
  intIn,
  knownValue,
  property,
  tensorData,
  training,
} from '../harness/index.js';
import { maxPoolDefinition } from '../helpers/conv-definition.js';
import { digitsCnn } from '../helpers/cnn-doubles.js';
import { GLYPH_ACCURACY, GLYPH_TRAINING, trainOnGlyphs, verifyGlyphTraining } from '../helpers/digit-glyphs.js';
import {
  plane,
  planeTensor,
  poolingChecks,
  poolPass,
  seed000FeatureMap,
  verifyPoolPass,
  type PoolingSpec,
} from '../helpers/pooling-checks.js';

/**
 * Exercise 2, MaxPool: y[b, c, i, j] = max of the window at (i·sh, j·sw), 'valid' (⌊(n − p)/s⌋ + 1
 * positions), stride = window by default. Backward sends each window's ∂L/∂y to the position of its
 * maximum only (004: 3231–3236); on a tie the FIRST maximum in row-major order gets it (the kit's rule);
 * overlapping windows that share a maximum add up there. Handout: docs/exercises/2-convolutional.md#maxpool
 * The definition check on random windows, centred differences and bad input are the pooling layers'
 * shared checks (tests/helpers/pooling-checks.ts); this file adds the argmax routing, the tie rule, the
 * seed's known values and the training on digit glyphs.
 */

const ones = (shape: readonly number[]): Tensor =>
  new Tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1));

/** MaxPool for the shared pooling checks: compared with maxPoolDefinition, tie mistakes named. */
const maxPool: PoolingSpec<'last' | 'all'> = {
  name: 'MaxPool',
  geometry: { kind: 'window', layer: MaxPool },
  forward: 'y[b, c, i, j] = max over m, n of x[b, c, i·sh + m, j·sw + n] (maxPool2dCpu)',
  backward:
    "each window's ∂L/∂y goes to its first maximum only, and windows that share that position ADD their gradients there (maxPool2dBackwardCpu)",
  definitionName: 'the definition',
  definition: (x, { kernel, stride }, dy, ties) => maxPoolDefinition(x, kernel, stride, dy, ties),
  mistakes: {
    last: "sends the gradient of a window with tied maxima to the LAST of them; the kit's rule is the FIRST maximum in row-major order (compare with >, not >=, in maxPool2dBackwardCpu)",
    all: 'sends the gradient of a window to EVERY element equal to its maximum; only the first maximum in row-major order may get it (maxPool2dBackwardCpu)',
  },
  forwardTolerance: 0,
  randomCases: 4,
};

/** A window side, a stride or a count of windows in the drawn samples. */
const oneToThree = fc.integer({ min: 1, max: 3 });

/** Small integers: many tied maxima. */
const smallIntegers = (rng: Rng, shape: readonly number[], values: number, offset = 0): Tensor =>
  new Tensor(
    shape,
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => offset + rng.int(values)),
  );

export default componentChecks('ex2', 'MaxPool', [
  ...poolingChecks(maxPool),
  property({
    title:
      'with stride = window the windows partition the input: ∂L/∂y = 1 puts exactly one 1 in every window, at its maximum',
    run: (rng) =>
      drawSamples(
        fc.tuple(oneToThree, oneToThree, oneToThree, oneToThree, fc.integer({ min: 0, max: 1e6 })),
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
          oneToThree,
          oneToThree,
          oneToThree,
          oneToThree,
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
    title:
      'many ties (small integers) under overlapping windows: the first maximum of each window gets its gradient, shared maxima add up',
    weight: 2,
    run: (rng) =>
      [0, 1].map(() => {
        const shape = [2, 2, intIn(rng, 4, 7), intIn(rng, 4, 7)];
        const x = smallIntegers(rng, shape, 3);
        const kernel: [number, number] = [intIn(rng, 2, 3), intIn(rng, 2, 3)];
        return poolPass(maxPool, { kernel, stride: [1, 1] }, x, (s) => smallIntegers(rng, s, 9, 1));
      }),
    verify: (passes) =>
      passes.forEach((pass, i) => {
        verifyPoolPass(maxPool, pass, `case ${i}`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'a stride that leaves rows and columns outside every window: they get no gradient',
    run: (rng) =>
      poolPass(
        maxPool,
        { kernel: [2, 2], stride: [3, 3] },
        rng.normalTensor([1, 2, 3 * intIn(rng, 2, 3) + 1, 3 * intIn(rng, 2, 3) + 2]),
        (s) => rng.normalTensor(s),
      ),
    verify: (pass) => verifyPoolPass(maxPool, pass, 'window 2×2, stride 3'),
    hiddenRerun: true,
  }),
  gradient({
    title: 'overlapping windows that share a maximum add their gradients there',
    run: () => {
      const pool = new MaxPool({ kernelSize: [1, 3], stride: 1 });
      const y = tensorData(pool.forward(planeTensor([[0, 1, 9, 2, 3]])), 'MaxPool.forward');
      return { y, dx: tensorData(pool.backward(planeTensor([[1, 10, 100]])), 'MaxPool.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(y, plane([[9, 9, 9]]), 0, 'MaxPool [1, 3] stride 1 of [0, 1, 9, 2, 3]');
      expectClose(
        dx,
        plane([[0, 0, 111, 0, 0]]),
        0,
        'MaxPool.backward: all three windows route to the 9 and their gradients 1 + 10 + 100 ADD up (+=, not =)',
      );
    },
  }),
  knownValue({
    title: 'pools the 4×4 map of seed 000 (lines 2183–2200) to [[8, 6], [9, 3]]',
    run: () =>
      tensorData(new MaxPool({ kernelSize: [2, 2], stride: 2 }).forward(seed000FeatureMap()), 'MaxPool.forward'),
    verify: (y) =>
      expectClose(
        y,
        plane([
          [8, 6],
          [9, 3],
        ]),
        0,
        'seed 000 max pooling (2200: "entries 8, 6, 9 and 3")',
      ),
  }),
  knownValue({
    title: 'routes the gradient only to the maxima, at (1,1), (0,2), (2,1), (3,2) (004: 3231–3236)',
    run: () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      pool.forward(seed000FeatureMap());
      return tensorData(
        pool.backward(
          planeTensor([
            [1, 2],
            [3, 4],
          ]),
        ),
        'MaxPool.backward',
      );
    },
    verify: (dx) =>
      expectClose(
        dx,
        plane([
          [0, 0, 2, 0],
          [0, 1, 0, 0],
          [0, 3, 0, 0],
          [0, 0, 4, 0],
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
        planeTensor([
          [5, 5],
          [5, 5],
        ]),
      );
      const constant = tensorData(pool.backward(planeTensor([[1]])), 'MaxPool.backward');
      pool.forward(
        planeTensor([
          [1, 7],
          [7, 2],
        ]),
      );
      return { constant, twoMaxima: tensorData(pool.backward(planeTensor([[1]])), 'MaxPool.backward') };
    },
    verify: ({ constant, twoMaxima }) => {
      const hint =
        '(only the first maximum in row-major order gets ∂L/∂y: compare with >, not >=, and do not send it to every tied value)';
      expectClose(
        constant,
        plane([
          [1, 0],
          [0, 0],
        ]),
        0,
        `constant window [[5, 5], [5, 5]]: the top-left (first) element gets the whole gradient ${hint}`,
      );
      expectClose(
        twoMaxima,
        plane([
          [0, 1],
          [0, 0],
        ]),
        0,
        `tie between (0,1) and (1,0) in [[1, 7], [7, 2]]: (0,1) comes first in row-major order ${hint}`,
      );
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
