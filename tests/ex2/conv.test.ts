import fc from 'fast-check';
import { expect } from 'vitest';
import { Conv, convAxisGeometry, type ConvOptions } from '#impl/layers/conv.js';
import {
  fromArray,
  NonFiniteError,
  Rng,
  ShapeError,
  StateError,
  Tensor,
  tensor,
  ValueError,
  zeros,
  type Initializer,
} from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  fail,
  gradient,
  gradientData,
  intIn,
  knownValue,
  property,
  tensorData,
  thrown,
  type TensorData,
} from '../harness/index.js';
import {
  convChecks,
  convGeometries,
  convPass,
  convWith,
  describeGeometry,
  layerOf,
  outputShape,
  randomGeometry,
  spanGeometry,
  verifyConvPass,
  type ConvGeometry,
  type ConvSpec,
} from '../helpers/conv-checks.js';
import { convDefinition, nd, sameData, scaled } from '../helpers/conv-definition.js';
import { GLYPH_ACCURACY, GLYPH_TRAINING } from '../helpers/digit-glyphs.js';

/**
 * Exercise 2, Conv: cross-correlation (no kernel flip) of x [batch, C, H, W] (or [batch, C, L]) with
 * weight [O, C, KH, KW] plus bias [O]; 'same' keeps ⌈n/s⌉ positions padding ⌊(k−1)/2⌋ before, 'valid'
 * keeps ⌊(n − k)/s⌋ + 1. Backward returns ∂L/∂x and adds ∂L/∂w and ∂L/∂bias, summed over the batch and
 * every output position. Handout: docs/exercises/2-convolutional.md#conv
 * The checks Conv shares with DilatedConv come from tests/helpers/conv-checks.ts; this file adds Conv's laws
 * and the seeds' known values.
 */

/** Conv through the shared checks: Exercise 2's plain convolution, no dilation. */
const CONV: ConvSpec = {
  make: (options) => new Conv(options),
  dilated: false,
  forwardName: 'Conv.forward',
  backwardName: 'Conv.backward',
  geometries: convGeometries({ oneD: true, batch: 2, channels: 3, size: 7, kernel: 4, stride: 3, dilation: 1 }),
  definition: (g, x4, w4, bias, dy4) => convDefinition(x4, w4, bias, spanGeometry(g), dy4),
  formulas: {
    outputSize:
      "'same' keeps ⌈n / stride⌉ positions, 'valid' ⌊(n − k) / stride⌋ + 1 (convAxisGeometry), and a 1-D convolution returns [batch, O, L′].",
    forward: 'y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n] (conv2dCpu)',
    inputGradient:
      '∂L/∂x[b, c, r, s] = Σ_o Σ_i Σ_j ∂L/∂y[b, o, i, j] · w[o, c, r − i·sh + pt, s − j·sw + pl] (conv2dBackwardInputCpu; compared as 4-D)',
    weightGradient:
      '∂L/∂w[o, c, m, n] = Σ_b Σ_i Σ_j ∂L/∂y[b, o, i, j] · x[b, c, i·sh + m − pt, j·sw + n − pl] (conv2dBackwardWeightsCpu)',
    biasGradient: '∂L/∂bias[o] = Σ_b Σ_i Σ_j ∂L/∂y[b, o, i, j] (conv2dBackwardBiasCpu)',
  },
  forwardMistakes: [
    {
      output: (g, x4, w4, bias) => convDefinition(x4, w4, bias, spanGeometry(g), undefined, true).y,
      message:
        "computes a true convolution (the kernel flipped by 180°). The kit's Conv is a cross-correlation: read w[o, c, m, n] with x[i·sh + m − pt, j·sw + n − pl], no flip.",
    },
  ],
  randomChecks: [
    {
      title:
        'forward matches the definition on random 1-D and 2-D geometries (stride, same/valid, even and 1×1 kernels)',
      weight: 2,
      samples: 60,
      backward: false,
    },
    {
      title: 'backward matches the definition on random geometries: ∂L/∂input, ∂L/∂weight and ∂L/∂bias',
      weight: 3,
      samples: 60,
      backward: true,
    },
  ],
  // Even and 1×1 kernels, strides that do not divide the size, 1-D.
  gradientCases: [
    {
      label: "2-D 3×3 'same' stride 1",
      options: { inChannels: 2, outChannels: 3, kernelSize: [3, 3] },
      input: [2, 2, 5, 6],
    },
    {
      label: "2-D 4×4 (even) 'valid' stride 2 on 7×9 (stride does not divide)",
      options: { inChannels: 2, outChannels: 2, kernelSize: [4, 4], stride: 2, padding: 'valid' },
      input: [2, 2, 7, 9],
    },
    {
      label: "2-D 2×3 'same' stride [2, 3]",
      options: { inChannels: 1, outChannels: 2, kernelSize: [2, 3], stride: [2, 3] },
      input: [2, 1, 5, 7],
    },
    { label: '2-D 1×1 kernel', options: { inChannels: 3, outChannels: 2, kernelSize: [1, 1] }, input: [2, 3, 3, 4] },
    {
      label: "1-D k=4 'same' stride 2",
      options: { inChannels: 2, outChannels: 3, kernelSize: [4], stride: 2 },
      input: [2, 2, 9],
    },
    {
      label: "1-D k=3 'valid' stride 1",
      options: { inChannels: 1, outChannels: 2, kernelSize: [3], padding: 'valid' },
      input: [3, 1, 6],
    },
  ],
  training: {
    title: `Conv in a small CNN (test-local other layers, loss and Adam) learns to classify held-out digit glyphs (accuracy ≥ ${GLYPH_ACCURACY})`,
    options: {},
    schedule: GLYPH_TRAINING,
    what: 'Conv',
    hint: 'Check Conv.forward and its three gradients (the property checks above say which).',
  },
};

/** The student's Conv with the given weights and bias. */
const convOf = (weight: Tensor, bias?: Tensor, options: Partial<ConvOptions> = {}) =>
  convWith(CONV, weight, bias, options);

/** One channel, one filter, zero bias, 'valid': the feature map of `kernel` over `image`, as the seeds print them. */
const validMap = (kernel: number[][], image: number[][]): TensorData =>
  tensorData(
    convOf(fromArray([[kernel]]), undefined, { padding: 'valid' }).forward(fromArray([[image]])),
    'Conv.forward',
  );

// The dummy image of seed 000_62f7213e93c3733a.txt lines 1759–1768 as reconstructed in the catalogue §4.7
// (rows 9 and 10 from the later copies, 1778–1823).
const image = [
  [0, 0, 0, 0, 255, 255, 0, 0, 0, 0],
  [0, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 0, 0, 255, 255, 0, 0, 0, 0],
  [255, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 255, 255, 255, 255, 255, 255, 0, 0],
  [0, 255, 0, 255, 255, 255, 255, 0, 255, 0],
  [0, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 0, 255, 255, 255, 255, 0, 0, 0],
  [0, 0, 0, 255, 0, 0, 255, 0, 0, 255],
  [0, 0, 255, 255, 0, 0, 255, 255, 0, 0],
];
// S_x, seed 000 line 1776.
const sobelX = [
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1],
];
// The feature map printed at seed 000 lines 1830–1837.
const featureMap = [
  [0, 510, 1020, 510, -510, -1020, -510, 0],
  [-255, 510, 1020, 510, -510, -1020, -510, 0],
  [-255, 765, 765, 255, -255, -765, -765, -255],
  [255, 765, 510, 0, 0, -510, -765, -510],
  [255, 510, 765, 0, 0, -765, -510, -255],
  [0, 765, 1020, 0, 0, -1020, -765, 0],
  [0, 1020, 765, -255, 255, -765, -1020, 255],
  [255, 1020, 0, -765, 765, 0, -1020, 255],
];

const sobelMap = (): TensorData => validMap(sobelX, image);

export default componentChecks('ex2', 'Conv', [
  ...convChecks(CONV),
  property({
    title:
      "edge geometries: an even kernel 'same' with strides that do not divide, 1×1 kernels with and without a stride, a 'valid' kernel as large as the input, 1-D",
    weight: 2,
    run: (rng) => {
      const [h, w] = [intIn(rng, 2, 5), intIn(rng, 2, 5)];
      const k = intIn(rng, 1, 5);
      const specsDrawn: ConvGeometry[] = [
        randomGeometry(rng, {
          batch: 2,
          inChannels: 2,
          outChannels: 3,
          kh: 4,
          kw: 2,
          sh: 3,
          sw: 2,
          padding: 'same',
          height: intIn(rng, 7, 8),
          width: 5,
        }),
        randomGeometry(rng, {
          kh: 1,
          kw: 1,
          sh: 1,
          sw: 1,
          padding: 'same',
          height: intIn(rng, 3, 6),
          width: intIn(rng, 3, 6),
        }),
        randomGeometry(rng, {
          kh: 1,
          kw: 1,
          sh: 2,
          sw: 2,
          padding: 'same',
          height: intIn(rng, 3, 6),
          width: intIn(rng, 3, 6),
        }),
        randomGeometry(rng, {
          batch: 3,
          inChannels: 2,
          outChannels: 2,
          kh: h,
          kw: w,
          height: h,
          width: w,
          padding: 'valid',
        }),
        randomGeometry(rng, {
          oneD: true,
          height: 1,
          kh: 1,
          sh: 1,
          kw: k,
          sw: intIn(rng, 1, 3),
          width: intIn(rng, k, 11),
        }),
      ];
      return specsDrawn.map((g) => convPass(CONV, g, true));
    },
    verify: (passes) =>
      passes.forEach((pass) => {
        verifyConvPass(CONV, pass, describeGeometry(pass.spec));
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'the parameter gradients of a batch are the sums of the per-example gradients (not the mean, not the last example)',
    run: (rng) => {
      const g = randomGeometry(rng, { batch: 3 });
      const conv = layerOf(CONV, g, rng.fork());
      const x = rng.normalTensor([3, g.inChannels, g.height, g.width]);
      const dy = rng.normalTensor(conv.forward(x).shape);
      const gradients = (input: Tensor, upstream: Tensor) => {
        conv.weight.zeroGrad();
        conv.bias.zeroGrad();
        conv.forward(input);
        const dx = tensorData(conv.backward(upstream), 'Conv.backward');
        const { weight, bias } = gradientData(conv.parameters(), 'Conv.backward');
        return { dx, weight, bias };
      };
      const perExample = (t: Tensor, n: number) =>
        new Tensor([1, ...t.shape.slice(1)], t.data.slice((n * t.size) / 3, ((n + 1) * t.size) / 3));
      return {
        spec: g,
        batch: gradients(x, dy),
        single: [0, 1, 2].map((n) => gradients(perExample(x, n), perExample(dy, n))),
      };
    },
    verify: ({ spec, batch, single }) => {
      const label = describeGeometry(spec);
      const sum = (key: 'weight' | 'bias') => ({
        shape: single[0][key].shape,
        data: single[0][key].data.map((_, i) => single.reduce((total, s) => total + s[key].data[i], 0)),
      });
      const weight = sum('weight');
      if (!sameData(batch.weight, weight, 1e-9) && sameData(batch.weight, scaled(weight, 1 / 3), 1e-9)) {
        fail(
          `${label}: weight.grad of a batch of 3 is the MEAN of the per-example gradients; it must be their sum (Σ_b in conv2dBackwardWeightsCpu)`,
        );
      }
      expectClose(
        batch.weight,
        weight,
        1e-9,
        `${label}: weight.grad of a batch of 3 must be the sum of the three per-example gradients (Σ_b in conv2dBackwardWeightsCpu)`,
      );
      expectClose(
        batch.bias,
        sum('bias'),
        1e-9,
        `${label}: bias.grad of a batch of 3 must be the sum of the three per-example gradients (Σ_b in conv2dBackwardBiasCpu)`,
      );
      const rows = batch.dx.data.length / 3;
      single.forEach((s, n) => {
        expectClose(
          { shape: s.dx.shape, data: batch.dx.data.slice(n * rows, (n + 1) * rows) },
          s.dx,
          1e-9,
          `${label}: ∂L/∂x of example ${n} in the batch differs from ∂L/∂x of the example alone (examples must not mix)`,
        );
      });
    },
    hiddenRerun: true,
  }),
  property({
    title: "'same' keeps ceil(n / stride) positions and 'valid' floor((n − k) / stride) + 1 (convAxisGeometry)",
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 })),
        rng,
        60,
      ).map(([n, k, s]) => ({
        n,
        k,
        s,
        same: { ...convAxisGeometry(n, k, s, 'same', 'test') },
        valid: n >= k ? { ...convAxisGeometry(n, k, s, 'valid', 'test') } : null,
      })),
    verify: (samples) =>
      samples.forEach(({ n, k, s, same, valid }) => {
        expect(same.outSize, `convAxisGeometry(n=${n}, k=${k}, stride=${s}, 'same').outSize must be ⌈n / stride⌉`).toBe(
          Math.ceil(n / s),
        );
        expect(
          same.padBefore,
          `convAxisGeometry(n=${n}, k=${k}, stride=${s}, 'same').padBefore must be ⌊(k − 1) / 2⌋ (the extra zero of an even kernel goes after)`,
        ).toBe(Math.floor((k - 1) / 2));
        if (valid) {
          expect(
            valid.outSize,
            `convAxisGeometry(n=${n}, k=${k}, stride=${s}, 'valid').outSize must be ⌊(n − k) / stride⌋ + 1`,
          ).toBe(Math.floor((n - k) / s) + 1);
          expect(valid.padBefore, `convAxisGeometry(n=${n}, k=${k}, stride=${s}, 'valid').padBefore must be 0`).toBe(0);
        }
      }),
    hiddenRerun: true,
  }),
  property({
    title: "a delta kernel (1 at the centre, zero bias) is the identity with 'same' padding, 2-D and 1-D",
    run: (rng) => ({
      twoD: drawSamples(
        fc.tuple(
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 0, max: 1e6 }),
        ),
        rng,
        30,
      ).map(([radius, h, w, seed]) => {
        const k = 2 * radius + 1;
        const weight = zeros([2, 2, k, k]);
        for (let c = 0; c < 2; c++) weight.set(1, c, c, radius, radius);
        const x = new Rng(seed).normalTensor([2, 2, h, w]);
        return { k, x: tensorData(x, 'x'), y: tensorData(convOf(weight, zeros([2])).forward(x), 'Conv.forward') };
      }),
      oneD: tensorData(
        convOf(tensor([0, 1, 0], [1, 1, 3]), zeros([1])).forward(fromArray([[[3, -1, 4, 1, -5]]])),
        'Conv.forward',
      ),
    }),
    verify: ({ twoD, oneD }) => {
      twoD.forEach(({ k, x, y }, i) => {
        expectClose(
          y,
          x,
          1e-15,
          `sample ${i}: Conv with a ${k}×${k} delta kernel on [${x.shape.join(', ')}] must return its input ('same' pads ⌊(k − 1)/2⌋ before)`,
        );
      });
      expectClose(oneD, [[[3, -1, 4, 1, -5]]], 1e-15, 'Conv 1-D with the delta kernel [0, 1, 0] must return its input');
    },
    hiddenRerun: true,
  }),
  property({
    title: 'is linear in its input and in its weights (with zero bias)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          CONV.geometries,
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.double({ min: -3, max: 3, noNaN: true }),
        ),
        rng,
        30,
      ).map(([g, alpha, beta]) => {
        const draw = new Rng(g.seed);
        const kernelSize = g.oneD ? [g.kw] : [g.kh, g.kw];
        const conv = layerOf(CONV, g, draw.fork());
        const [w1, w2] = [
          draw.normalTensor([g.outChannels, g.inChannels, ...kernelSize]),
          draw.normalTensor([g.outChannels, g.inChannels, ...kernelSize]),
        ];
        const shape = g.oneD ? [g.batch, g.inChannels, g.width] : [g.batch, g.inChannels, g.height, g.width];
        const [x1, x2] = [draw.normalTensor(shape), draw.normalTensor(shape)];
        const mix = (a: Tensor, b: Tensor) =>
          new Tensor(
            a.shape,
            a.data.map((v, i) => alpha * v + beta * b.data[i]),
          );
        conv.bias.assign(zeros([g.outChannels]));
        const out = (w: Tensor, x: Tensor) => {
          conv.weight.assign(w);
          return tensorData(conv.forward(x), 'Conv.forward');
        };
        return {
          spec: g,
          alpha,
          beta,
          x1: out(w1, x1),
          x2: out(w1, x2),
          xMix: out(w1, mix(x1, x2)),
          w2: out(w2, x1),
          wMix: out(mix(w1, w2), x1),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ spec, alpha, beta, x1, x2, xMix, w2, wMix }) => {
        const combine = (a: TensorData, b: TensorData): TensorData => ({
          shape: a.shape,
          data: a.data.map((v, i) => alpha * v + beta * b.data[i]),
        });
        expectClose(
          xMix,
          combine(x1, x2),
          1e-9,
          `${describeGeometry(spec)}: Conv(αx + βx′) must equal α·Conv(x) + β·Conv(x′) with zero bias (α = ${alpha}, β = ${beta})`,
        );
        expectClose(
          wMix,
          combine(x1, w2),
          1e-9,
          `${describeGeometry(spec)}: Conv with weights αW + βW′ must equal α·Conv_W(x) + β·Conv_W′(x) with zero bias`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'shifting the input shifts the output, away from the border (translation equivariance, 000: 2079–2082)',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1e6 })),
        rng,
        20,
      ).map(([dr, ds, seed]) => {
        const draw = new Rng(seed);
        const size = 12;
        const conv = convOf(draw.normalTensor([2, 1, 3, 3]), draw.normalTensor([2]), { padding: 'valid' });
        const x = draw.normalTensor([1, 1, size, size]);
        const shifted = zeros([1, 1, size, size]);
        for (let r = 0; r + dr < size; r++)
          for (let s = 0; s + ds < size; s++) shifted.set(x.get(0, 0, r, s), 0, 0, r + dr, s + ds);
        return {
          dr,
          ds,
          y: tensorData(conv.forward(x), 'Conv.forward'),
          yShifted: tensorData(conv.forward(shifted), 'Conv.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ dr, ds, y, yShifted }) => {
        expect(yShifted.shape, "Conv.forward of a 12×12 input with a 3×3 'valid' kernel").toEqual([1, 2, 10, 10]);
        for (let o = 0; o < 2; o++)
          for (let i = 0; i + dr < 10; i++)
            for (let j = 0; j + ds < 10; j++) {
              const at = (o * 10 + i) * 10 + j;
              const moved = (o * 10 + i + dr) * 10 + j + ds;
              expectClose(
                yShifted.data[moved],
                y.data[at],
                1e-9,
                `channel ${o}: output at (${i + dr}, ${j + ds}) after shifting the input by (${dr}, ${ds}) must equal the output at (${i}, ${j}) before`,
              );
            }
      }),
    hiddenRerun: true,
  }),
  gradient({
    title: 'accumulates: two backward calls give twice the parameter gradients',
    run: (rng) => {
      const conv = new Conv({ inChannels: 1, outChannels: 2, kernelSize: [3, 3], rng: rng.fork() });
      const dy = rng.normalTensor([2, 2, 4, 4]);
      conv.forward(rng.normalTensor([2, 1, 4, 4]));
      conv.backward(dy);
      const once = gradientData(conv.parameters(), 'Conv.backward');
      conv.backward(dy);
      return { once, twice: gradientData(conv.parameters(), 'Conv.backward') };
    },
    verify: ({ once, twice }) => {
      expectClose(
        twice.weight,
        scaled(once.weight, 2),
        1e-12,
        'Conv weight.grad after two backward calls (use weight.accumulate, do not assign)',
      );
      expectClose(
        twice.bias,
        scaled(once.bias, 2),
        1e-12,
        'Conv bias.grad after two backward calls (use bias.accumulate, do not assign)',
      );
    },
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'reproduces the full 10×10 → 8×8 Sobel feature map of seed 000 (lines 1759–1837): valid cross-correlation, no kernel flip',
    weight: 2,
    run: sobelMap,
    verify: (y) => {
      if (y.data.length === 64 && y.data.every((v, i) => v === -featureMap[Math.floor(i / 8)][i % 8])) {
        fail(
          'Conv.forward gives the Sobel map of seed 000 (1830–1837) negated: the kernel is flipped (a true convolution). The kit uses cross-correlation: w[o, c, m, n] reads x[i + m, j + n].',
        );
      }
      expectClose(y, nd([[featureMap]]), 0, 'Sobel S_x feature map (seed 000: 1830–1837)');
    },
  }),
  knownValue({
    title: 'the normalised Sobel map of seed 000 lines 1846–1853 is round((v + 1020) / 2040 · 255)',
    run: sobelMap,
    verify: (y) => {
      const normalised = y.data.map((v) => Math.floor(((v + 1020) / 2040) * 255 + 0.5));
      expect(normalised.slice(0, 8), 'first row of the normalised map (000: 1846)').toEqual([
        128, 191, 255, 191, 64, 0, 64, 128,
      ]);
      expect(normalised.slice(56, 64), 'last row of the normalised map (000: 1853)').toEqual([
        159, 255, 128, 32, 223, 128, 0, 159,
      ]);
    },
  }),
  knownValue({
    title:
      'computes the 5×5 ⊛ 3×3 example of seed 001 (lines 454–465): first value 4, full map [[4,3,4],[2,4,3],[2,3,4]]',
    run: () =>
      validMap(
        [
          [1, 0, 1],
          [0, 1, 0],
          [1, 0, 1],
        ],
        [
          [1, 1, 1, 0, 0],
          [0, 1, 1, 1, 0],
          [0, 0, 1, 1, 1],
          [0, 0, 1, 1, 0],
          [0, 1, 1, 0, 0],
        ],
      ),
    verify: (y) =>
      expectClose(
        y,
        nd([
          [
            [
              [4, 3, 4],
              [2, 4, 3],
              [2, 3, 4],
            ],
          ],
        ]),
        0,
        "seed 001's convolved feature (454–465; only the first value, 4, is printed)",
      ),
  }),
  knownValue({
    title: "computes seed 001's 7×7 image with its 3×3 feature detector (lines 434–450, derived in catalogue §4.8)",
    run: () =>
      validMap(
        [
          [0, 0, 1],
          [1, 0, 0],
          [0, 1, 1],
        ],
        [
          [0, 0, 0, 0, 0, 0, 0],
          [0, 1, 0, 0, 0, 1, 0],
          [0, 0, 0, 0, 0, 0, 0],
          [0, 0, 0, 1, 0, 0, 0],
          [0, 1, 0, 0, 0, 1, 0],
          [0, 0, 1, 1, 1, 0, 0],
          [0, 0, 0, 0, 0, 0, 0],
        ],
      ),
    verify: (y) =>
      expectClose(
        y,
        nd([
          [
            [
              [0, 1, 0, 0, 0],
              [0, 1, 1, 1, 0],
              [1, 0, 0, 2, 1],
              [1, 4, 2, 1, 0],
              [0, 0, 1, 2, 1],
            ],
          ],
        ]),
        0,
        "seed 001's 7×7 input ⊛ feature detector",
      ),
  }),
  knownValue({
    title: 'gives the output sizes of catalogue §4.12 (000: 2113–2115, 2169–2171; 004: 3093–3108)',
    run: () => {
      const shapeOf = (options: Partial<ConvOptions>, input: number[]): number[] =>
        outputShape(CONV, { outChannels: 2, ...options }, input);
      return {
        validK2: shapeOf({ kernelSize: [2, 2], padding: 'valid' }, [1, 1, 5, 5]),
        same: shapeOf({ padding: 'same' }, [1, 1, 5, 5]),
        valid10: shapeOf({ padding: 'valid' }, [1, 1, 10, 10]),
        validStride2: shapeOf({ padding: 'valid', stride: 2 }, [1, 1, 7, 8]),
        sameStride2: shapeOf({ padding: 'same', stride: 2 }, [1, 3, 7, 8]),
        oneDSameStride3: shapeOf({ kernelSize: [4], stride: 3, outChannels: 1 }, [1, 1, 10]),
      };
    },
    verify: (shapes) => {
      expect(shapes.validK2, 'i=5, k=2, valid → o = i − k + 1 = 4 (000: 2095, 2115)').toEqual([1, 2, 4, 4]);
      expect(shapes.same, 'i=5, k=3, same → 5 (000: 2122)').toEqual([1, 2, 5, 5]);
      expect(shapes.valid10, '10×10 with a 3×3 kernel, valid → 8×8 (000: 1830–1837)').toEqual([1, 2, 8, 8]);
      expect(shapes.validStride2, 'valid stride 2: ⌊(7−3)/2⌋+1 = 3, ⌊(8−3)/2⌋+1 = 3 (000: 2171)').toEqual([1, 2, 3, 3]);
      expect(shapes.sameStride2, "same stride 2: ⌈7/2⌉ = 4, ⌈8/2⌉ = 4 ('same' output X × Y × H, 004: 3108)").toEqual([
        1, 2, 4, 4,
      ]);
      expect(shapes.oneDSameStride3, '1-D same stride 3: ⌈10/3⌉ = 4').toEqual([1, 1, 4]);
    },
  }),
  knownValue({
    title:
      "pads an even kernel's extra zero after: a 2×2 'same' kernel reads x[i, j], x[i, j+1], x[i+1, j], x[i+1, j+1]",
    // Padding 0 before and 1 after: y[0,0] = 1·1 + 10·2 + 100·3 + 1000·4; y[1,1] = 1·4 (the rest reads zeros).
    run: () =>
      tensorData(
        convOf(
          fromArray([
            [
              [
                [1, 10],
                [100, 1000],
              ],
            ],
          ]),
          zeros([1]),
        ).forward(
          fromArray([
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ]),
        ),
        'Conv.forward',
      ),
    verify: (y) =>
      expectClose(
        y,
        nd([
          [
            [
              [4321, 2 + 400],
              [3 + 40, 4],
            ],
          ],
        ]),
        0,
        "2×2 kernel with 'same' padding (the extra zero goes after, as in PyTorch: padBefore = ⌊(k − 1)/2⌋ = 0)",
      ),
  }),
  knownValue({
    title: 'backward by hand: 1×1×3×3 input, 2×2 valid kernel, ∂L/∂y = 1',
    weight: 2,
    run: () => {
      const conv = convOf(
        fromArray([
          [
            [
              [1, 2],
              [3, 4],
            ],
          ],
        ]),
        tensor([0.5], [1]),
        { padding: 'valid' },
      );
      const y = tensorData(
        conv.forward(
          fromArray([
            [
              [
                [1, 2, 3],
                [4, 5, 6],
                [7, 8, 9],
              ],
            ],
          ]),
        ),
        'Conv.forward',
      );
      const dx = tensorData(
        conv.backward(
          fromArray([
            [
              [
                [1, 1],
                [1, 1],
              ],
            ],
          ]),
        ),
        'Conv.backward',
      );
      return { y, dx, grads: gradientData(conv.parameters(), 'Conv.backward') };
    },
    verify: ({ y, dx, grads }) => {
      expectClose(
        y,
        nd([
          [
            [
              [37.5, 47.5],
              [67.5, 77.5],
            ],
          ],
        ]),
        0,
        'forward: 1·1 + 2·2 + 3·4 + 4·5 + 0.5 = 37.5, …',
      );
      // Each input gets the sum of the weights that touched it.
      expectClose(
        dx,
        nd([
          [
            [
              [1, 3, 2],
              [4, 10, 6],
              [3, 7, 4],
            ],
          ],
        ]),
        0,
        'Conv.backward return value ∂L/∂x: each input collects the weights that read it (conv2dBackwardInputCpu)',
      );
      // Each weight gets the sum of the inputs it read.
      expectClose(
        grads.weight,
        nd([
          [
            [
              [12, 16],
              [24, 28],
            ],
          ],
        ]),
        0,
        'weight.grad ∂L/∂w: each weight collects the inputs it read (conv2dBackwardWeightsCpu)',
      );
      expectClose(grads.bias, [4], 0, 'bias.grad ∂L/∂bias: one 1 per output position (conv2dBackwardBiasCpu)');
    },
  }),
  knownValue({
    title: 'passes fanIn = inChannels·∏k and fanOut = outChannels·∏k to the initializers (DESIGN §3)',
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(
        new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], padding: 'same', rng: new Rng(1) }).forward(
          zeros([1, 1, 4, 4]),
        ),
        'Conv.forward',
      ).shape;
      const calls: { shape: number[]; fanIn: number; fanOut: number }[] = [];
      const recording: Initializer = {
        initialize: (s, fanIn, fanOut) => {
          calls.push({ shape: [...s], fanIn, fanOut });
          return zeros(s);
        },
      };
      new Conv({ inChannels: 3, outChannels: 5, kernelSize: [2, 4], rng: new Rng(1) }).initialize(
        recording,
        recording,
        new Rng(1),
      );
      new Conv({ inChannels: 2, outChannels: 7, kernelSize: [3], rng: new Rng(1) }).initialize(
        recording,
        recording,
        new Rng(1),
      );
      return { shape, calls };
    },
    verify: ({ shape, calls }) => {
      expect(shape, "Conv.forward of [1, 1, 4, 4] with a 3×3 'same' kernel").toEqual([1, 1, 4, 4]);
      expect(calls, 'Conv.initialize: (shape, fanIn, fanOut) of the weight, then the bias').toEqual([
        { shape: [5, 3, 2, 4], fanIn: 24, fanOut: 40 },
        { shape: [5], fanIn: 24, fanOut: 40 },
        { shape: [7, 2, 3], fanIn: 6, fanOut: 21 },
        { shape: [7], fanIn: 6, fanOut: 21 },
      ]);
    },
  }),
  badInput({
    title:
      'explains bad input: wrong channels, NaN, a gradient of the wrong shape, a kernel that does not fit, backward before forward',
    run: () => {
      const conv = new Conv({ inChannels: 3, outChannels: 2, kernelSize: [3, 3], rng: new Rng(1) });
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(conv.forward(zeros([1, 3, 5, 5])), 'Conv.forward').shape;
      const withNaN = zeros([1, 3, 5, 5]);
      withNaN.set(NaN, 0, 1, 2, 3);
      return {
        shape,
        wrongChannels: thrown(() => conv.forward(zeros([4, 1, 8, 8]))),
        nan: thrown(() => conv.forward(withNaN)),
        wrongGradient: thrown(() => conv.backward(zeros([1, 2, 4, 5]))),
        doesNotFit: thrown(() =>
          new Conv({ inChannels: 1, outChannels: 1, kernelSize: [5, 5], padding: 'valid', rng: new Rng(1) }).forward(
            zeros([1, 1, 4, 8]),
          ),
        ),
        backwardFirst: thrown(() =>
          new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3], rng: new Rng(1) }).backward(zeros([1, 1, 4])),
        ),
      };
    },
    verify: ({ shape, wrongChannels, nan, wrongGradient, doesNotFit, backwardFirst }) => {
      expect(shape, 'Conv.forward of [1, 3, 5, 5] with a 3×3 same kernel and 2 filters').toEqual([1, 2, 5, 5]);
      expectError(
        wrongChannels,
        ShapeError.name,
        'Conv.forward of a [4, 1, 8, 8] input to a Conv with 3 input channels',
        ['Conv.forward expected input [batch, 3, height, width], got [4, 1, 8, 8]'],
      );
      expectError(nan, NonFiniteError.name, 'Conv.forward of an input holding NaN');
      expectError(
        wrongGradient,
        ShapeError.name,
        'Conv.backward of a [1, 2, 4, 5] gradient for a [1, 2, 5, 5] output',
        ['Conv.backward expected gradOutput [1, 2, 5, 5], got [1, 2, 4, 5]'],
      );
      expectError(doesNotFit, ShapeError.name, "Conv.forward of a 4×8 input with a 5×5 'valid' kernel", [
        'does not fit an input of size 4',
      ]);
      expectError(backwardFirst, StateError.name, 'Conv.backward before any forward', ['before forward']);
    },
  }),
  badInput({
    title: 'explains bad options: a 3-D kernel, stride 0, an unknown padding',
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(
        new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3], rng: new Rng(1) }).forward(zeros([1, 1, 6])),
        'Conv.forward',
      ).shape;
      return {
        shape,
        threeD: thrown(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3, 3], rng: new Rng(1) })),
        zeroStride: thrown(
          () => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], stride: 0, rng: new Rng(1) }),
        ),
        unknownPadding: thrown(
          () =>
            new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], padding: 'full' as 'same', rng: new Rng(1) }),
        ),
      };
    },
    verify: ({ shape, threeD, zeroStride, unknownPadding }) => {
      expect(shape, "1-D Conv.forward of [1, 1, 6] with k=3 'same'").toEqual([1, 1, 6]);
      expectError(threeD, ValueError.name, 'new Conv with kernelSize [3, 3, 3]', ['kernelSize']);
      expectError(zeroStride, ValueError.name, 'new Conv with stride 0', ['stride must be a positive integer']);
      expectError(unknownPadding, ValueError.name, "new Conv with padding 'full'", [
        "padding must be 'same' or 'valid'",
      ]);
    },
  }),
]);
