import fc from 'fast-check';
import { expect } from 'vitest';
import { Conv, type ConvOptions } from '#impl/layers/conv.js';
import { dilatedKernelSize, gatherKernelGradient, spreadKernel } from '#impl/layers/dilated-kernel.js';
import { fromArray, Rng, ShapeError, Tensor, ValueError, zeros } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  fail,
  gradient,
  gradientData,
  knownValue,
  layerGradients,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { convDefinition, geometry2d, nd, reshaped, sameData, type Padding } from '../helpers/conv-definition.js';
import { digitsCnn } from '../helpers/cnn-doubles.js';
import { GLYPH_ACCURACY, trainOnGlyphs, verifyGlyphTraining } from '../helpers/digit-glyphs.js';

/**
 * Exercise 6, DilatedConv: Conv with `dilation` d reads x[…, i·s + m·d − p] (seed 004: 3152–3157, "Dilate
 * convolution kernel: Skip certain pixels; Goal: Wider receptive field with less parameters"). It is
 * Exercise 2's convolution with the kernel spread out (w[m, n] at (m·dh, n·dw), zeros between), a span of
 * d·(k − 1) + 1 that the output sizes of catalogue §4.12 (seed 000: 2113–2115, 2169–2171) use in place of k.
 * What you write: dilated-kernel.ts (dilatedKernelSize, spreadKernel, gatherKernelGradient); Conv calls it.
 * Handout: docs/exercises/6-modern.md#dilatedconv
 */

const DEFINITION = 'y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m·dh − pt, j·sw + n·dw − pl] · w[o, c, m, n]';

/** The kernel spread out on plain data: w [O, C, KH, KW] → [O, C, dh(KH − 1) + 1, dw(KW − 1) + 1] (verify's own). */
function spreadData(w: TensorData, [dh, dw]: readonly [number, number]): TensorData {
  const [o, c, kh, kw] = w.shape;
  const [sh, sw] = [dh * (kh - 1) + 1, dw * (kw - 1) + 1];
  const data = new Array<number>(o * c * sh * sw).fill(0);
  for (let f = 0; f < o * c; f++)
    for (let m = 0; m < kh; m++)
      for (let n = 0; n < kw; n++) data[(f * sh + m * dh) * sw + n * dw] = w.data[(f * kh + m) * kw + n];
  return { shape: [o, c, sh, sw], data };
}

/** A dilated convolution's geometry and the seed of its values. */
interface Spec {
  oneD: boolean;
  batch: number;
  inChannels: number;
  outChannels: number;
  height: number;
  width: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  padding: Padding;
  seed: number;
}

const span = (k: number, d: number): number => d * (k - 1) + 1;

/** Random 1-D and 2-D geometries with dilations 1 to 3 per axis, even kernels, strides, both paddings. */
const specs: fc.Arbitrary<Spec> = fc
  .record({
    oneD: fc.boolean(),
    batch: fc.integer({ min: 1, max: 2 }),
    inChannels: fc.integer({ min: 1, max: 2 }),
    outChannels: fc.integer({ min: 1, max: 2 }),
    height: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 9 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    sh: fc.integer({ min: 1, max: 2 }),
    sw: fc.integer({ min: 1, max: 2 }),
    dh: fc.integer({ min: 1, max: 3 }),
    dw: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom<Padding>('same', 'valid'),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map((g) => (g.oneD ? { ...g, height: 1, kh: 1, sh: 1, dh: 1 } : g))
  .filter((g) => g.padding === 'same' || (g.height >= span(g.kh, g.dh) && g.width >= span(g.kw, g.dw)));

const describeSpec = (g: Spec): string =>
  g.oneD
    ? `1-D x [${g.batch}, ${g.inChannels}, ${g.width}], kernel [${g.kw}], dilation ${g.dw}, stride ${g.sw}, '${g.padding}', ${g.outChannels} filters`
    : `x [${g.batch}, ${g.inChannels}, ${g.height}, ${g.width}], kernel [${g.kh}, ${g.kw}], dilation [${g.dh}, ${g.dw}], stride [${g.sh}, ${g.sw}], '${g.padding}', ${g.outChannels} filters`;

interface Pass {
  spec: Spec;
  x: TensorData;
  w: TensorData;
  b: number[];
  y: TensorData;
  dy: TensorData;
  dx: TensorData;
  grads: Record<string, TensorData>;
}

/** A dilated Conv of geometry `g` with random weights, forward and backward on random data. */
function dilatedPass(g: Spec): Pass {
  const rng = new Rng(g.seed);
  const kernelSize = g.oneD ? [g.kw] : [g.kh, g.kw];
  const conv = new Conv({
    inChannels: g.inChannels,
    outChannels: g.outChannels,
    kernelSize,
    stride: g.oneD ? g.sw : [g.sh, g.sw],
    dilation: g.oneD ? g.dw : [g.dh, g.dw],
    padding: g.padding,
    rng: rng.fork(),
  });
  const w = rng.normalTensor([g.outChannels, g.inChannels, ...kernelSize]);
  const b = rng.normalTensor([g.outChannels]);
  const x = rng.normalTensor(g.oneD ? [g.batch, g.inChannels, g.width] : [g.batch, g.inChannels, g.height, g.width]);
  conv.weight.assign(w);
  conv.bias.assign(b);
  const y = tensorData(conv.forward(x), 'Conv.forward (dilated)');
  const dy = rng.normalTensor(y.shape);
  const dx = tensorData(conv.backward(dy), 'Conv.backward (dilated)');
  return {
    spec: g,
    x: tensorData(x, 'x'),
    w: tensorData(w, 'w'),
    b: Array.from(b.data),
    y,
    dy: tensorData(dy, '∂L/∂y'),
    dx,
    grads: gradientData(conv.parameters(), 'Conv.backward (dilated)'),
  };
}

/** The definition: Exercise 2's convolution with the spread kernel; the weight gradient read back at the taps. */
function verifyPass(pass: Pass, label: string): void {
  const g = pass.spec;
  const [spanH, spanW] = [span(g.kh, g.dh), span(g.kw, g.dw)];
  const geometry = geometry2d([g.height, g.width], [spanH, spanW], [g.sh, g.sw], g.padding);
  const [oh, ow] = geometry.outShape;
  const outShape = g.oneD ? [g.batch, g.outChannels, ow] : [g.batch, g.outChannels, oh, ow];
  if (pass.y.shape.join() !== outShape.join()) {
    fail(
      `${label}: Conv.forward returned shape [${pass.y.shape.join(', ')}], expected [${outShape.join(', ')}]. A kernel of size k dilated by d spans ` +
        `d·(k − 1) + 1 (dilatedKernelSize): 'valid' keeps ⌊(n − d·(k − 1) − 1) / s⌋ + 1 positions, 'same' ⌈n / s⌉.`,
    );
  }
  const x4 = reshaped(pass.x, [g.batch, g.inChannels, g.height, g.width]);
  const spread = spreadData(reshaped(pass.w, [g.outChannels, g.inChannels, g.kh, g.kw]), [g.dh, g.dw]);
  const want = convDefinition(x4, spread, pass.b, geometry, reshaped(pass.dy, [g.batch, g.outChannels, oh, ow]));
  const y4 = reshaped(pass.y, want.y.shape);
  if (!sameData(y4, want.y, 1e-9)) {
    // The output index scaled instead of the kernel offset: x[i·s·d + m − p].
    const wrong = convDefinition(
      x4,
      reshaped(pass.w, [g.outChannels, g.inChannels, g.kh, g.kw]),
      pass.b,
      geometry2d([g.height, g.width], [g.kh, g.kw], [g.sh * g.dh, g.sw * g.dw], g.padding),
    );
    if (wrong.y.data.length === y4.data.length && sameData(y4, wrong.y, 1e-9)) {
      fail(
        `${label}: Conv.forward multiplies the output position by the dilation (a stride) instead of the kernel offset: the taps are m·d apart, x[i·s + m·d − p] (spreadKernel puts w[m] at m·d).`,
      );
    }
  }
  expectClose(
    y4,
    want.y,
    1e-9,
    `${label}: Conv.forward with dilation, ${DEFINITION} (spreadKernel: w[m, n] at (m·dh, n·dw), zeros between; 'same' pads ⌊(span − 1)/2⌋ before)`,
  );
  expectClose(
    reshaped(pass.dx, want.dx.shape),
    want.dx,
    1e-9,
    `${label}: Conv.backward return value ∂L/∂x: Exercise 2's input gradient with the spread kernel`,
  );
  const dw = { shape: [g.outChannels, g.inChannels, g.kh, g.kw], data: [] as number[] };
  for (let f = 0; f < g.outChannels * g.inChannels; f++)
    for (let m = 0; m < g.kh; m++)
      for (let n = 0; n < g.kw; n++)
        dw.data.push(want.dw.data[(f * spread.shape[2] + m * g.dh) * spread.shape[3] + n * g.dw]);
  expectClose(
    reshaped(pass.grads.weight, dw.shape),
    dw,
    1e-9,
    `${label}: weight.grad ∂L/∂w[o, c, m, n] = ∂L/∂spread[o, c, m·dh, n·dw] (gatherKernelGradient reads the spread kernel's gradient where spreadKernel put each weight)`,
  );
  expectClose(
    pass.grads.bias,
    want.db,
    1e-9,
    `${label}: bias.grad ∂L/∂bias[o] = Σ_b Σ_i Σ_j ∂L/∂y[b, o, i, j] (dilation does not change it)`,
  );
}

/** A Conv with the given weights, zero bias, and these options. */
function convWith(weight: Tensor, options: Partial<ConvOptions>): Conv {
  const [outChannels, inChannels, ...kernelSize] = weight.shape;
  const conv = new Conv({ inChannels, outChannels, kernelSize, rng: new Rng(1), ...options });
  conv.weight.assign(weight);
  conv.bias.assign(zeros([outChannels]));
  return conv;
}

/** The geometries of the gradient checks. */
const gradientCases: { label: string; options: Omit<ConvOptions, 'rng'>; input: number[] }[] = [
  {
    label: "2-D 3×3 dilation 2 'same'",
    options: { inChannels: 2, outChannels: 2, kernelSize: [3, 3], dilation: 2 },
    input: [1, 2, 5, 6],
  },
  {
    label: "2-D 2×3 dilation [2, 3] 'valid' stride 2",
    options: { inChannels: 1, outChannels: 2, kernelSize: [2, 3], dilation: [2, 3], stride: 2, padding: 'valid' },
    input: [2, 1, 7, 9],
  },
  {
    label: "1-D k=2 dilation 3 'same' (an even span)",
    options: { inChannels: 2, outChannels: 3, kernelSize: [2], dilation: 3 },
    input: [2, 2, 9],
  },
];

export default componentChecks('ex6', 'DilatedConv', [
  knownValue({
    title:
      'dilatedKernelSize is d·(k − 1) + 1 and spreadKernel puts w[m, n] at (m·d, n·d) with zeros between (seed 004: 3152–3157)',
    run: () => ({
      sizes: [
        [3, 1],
        [3, 2],
        [2, 3],
        [1, 4],
        [5, 2],
      ].map(([k, d]) => dilatedKernelSize(k, d)),
      spread: tensorData(
        spreadKernel(
          fromArray([
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ]),
          [2, 3],
        ),
        'spreadKernel',
      ),
      gathered: tensorData(
        gatherKernelGradient(
          fromArray([
            [
              [
                [1, 2, 3, 4, 5],
                [6, 7, 8, 9, 10],
                [11, 12, 13, 14, 15],
              ],
            ],
          ]),
          [2, 4],
          [2, 2],
        ),
        'gatherKernelGradient',
      ),
    }),
    verify: ({ sizes, spread, gathered }) => {
      expect(sizes, 'dilatedKernelSize(k, d) for (3, 1), (3, 2), (2, 3), (1, 4), (5, 2): d·(k − 1) + 1').toEqual([
        3, 5, 4, 1, 9,
      ]);
      expectClose(
        spread,
        nd([
          [
            [
              [1, 0, 0, 2],
              [0, 0, 0, 0],
              [3, 0, 0, 4],
            ],
          ],
        ]),
        0,
        'spreadKernel of [[1, 2], [3, 4]] with dilation [2, 3]: rows 0 and 2, columns 0 and 3',
      );
      expectClose(
        gathered,
        nd([
          [
            [
              [1, 5],
              [11, 15],
            ],
          ],
        ]),
        0,
        'gatherKernelGradient of a 3×5 spread gradient with dilation [2, 4] back to 2×2: the entries at (m·2, n·4)',
      );
    },
  }),
  knownValue({
    title: "by hand: a 2×2 kernel dilated by 2 on the 5×5 image x[r, s] = 5r + s, 'valid' → 3×3 map 50i + 10j + 82",
    // y[i, j] = 1·x[i, j] + 2·x[i, j + 2] + 3·x[i + 2, j] + 4·x[i + 2, j + 2] = 10·(5i + j) + 2·2 + 3·10 + 4·12.
    run: () => {
      const image = fromArray([[Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, s) => 5 * r + s))]]);
      return tensorData(
        convWith(
          fromArray([
            [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          ]),
          { dilation: 2, padding: 'valid' },
        ).forward(image),
        'Conv.forward (dilation 2)',
      );
    },
    verify: (y) => {
      if (y.shape.join() === '1,1,4,4')
        fail(
          "Conv.forward with a 2×2 kernel dilated by 2 on 5×5 'valid' returned 4×4: the span is d·(k − 1) + 1 = 3, so 'valid' keeps 5 − 3 + 1 = 3 (dilatedKernelSize)",
        );
      expectClose(
        y,
        nd([
          [
            [
              [82, 92, 102],
              [132, 142, 152],
              [182, 192, 202],
            ],
          ],
        ]),
        1e-12,
        'y[i, j] = x[i, j] + 2·x[i, j+2] + 3·x[i+2, j] + 4·x[i+2, j+2] (taps d = 2 apart)',
      );
    },
  }),
  knownValue({
    title:
      "by hand, 1-D: kernel [1, 10, 100] dilated by 2 on 1…7 'valid' gives [531, 642, 753]; kernel [1, 10] dilated by 3 'same' pads 1 before, 2 after",
    run: () => ({
      valid: tensorData(
        convWith(tensorOf([1, 10, 100], [1, 1, 3]), { dilation: 2, padding: 'valid' }).forward(
          tensorOf([1, 2, 3, 4, 5, 6, 7], [1, 1, 7]),
        ),
        'Conv.forward (1-D, dilation 2)',
      ),
      same: tensorData(
        convWith(tensorOf([1, 10], [1, 1, 2]), { dilation: 3, padding: 'same' }).forward(
          tensorOf([1, 2, 3, 4, 5], [1, 1, 5]),
        ),
        'Conv.forward (1-D, dilation 3, same)',
      ),
    }),
    verify: ({ valid, same }) => {
      expectClose(valid, [[[531, 642, 753]]], 1e-12, 'y[i] = x[i] + 10·x[i + 2] + 100·x[i + 4]');
      if (same.data.join() === '41,52,3,4,5')
        fail(
          "Conv.forward with kernel [1, 10] dilated by 3 'same': the padding was computed from k = 2 (none before); it must come from the span d·(k − 1) + 1 = 4: ⌊3/2⌋ = 1 zero before, 2 after",
        );
      expectClose(
        same,
        [[[30, 41, 52, 3, 4]]],
        1e-12,
        "span 4 'same': y[i] = x[i − 1] + 10·x[i + 2] (⌊(span − 1)/2⌋ = 1 zero before, the rest after)",
      );
    },
  }),
  knownValue({
    title: 'output sizes of catalogue §4.12 with the span d·(k − 1) + 1 in place of k (seed 000: 2113–2115, 2169–2171)',
    run: () => {
      const shapeOf = (options: Partial<ConvOptions>, input: number[]): number[] =>
        tensorData(
          new Conv({ inChannels: input[1], outChannels: 1, kernelSize: [3, 3], rng: new Rng(1), ...options }).forward(
            zeros(input),
          ),
          'Conv.forward (dilated)',
        ).shape;
      return {
        valid: shapeOf({ dilation: 2, padding: 'valid' }, [1, 1, 10, 10]),
        validWhole: shapeOf({ dilation: 3, padding: 'valid' }, [1, 1, 7, 7]),
        validStride: shapeOf({ dilation: 2, padding: 'valid', stride: 2 }, [1, 1, 10, 11]),
        mixed: shapeOf({ dilation: [1, 3], padding: 'valid' }, [1, 1, 5, 9]),
        same: shapeOf({ dilation: 2, padding: 'same' }, [1, 1, 7, 7]),
        sameStride: shapeOf({ dilation: 3, padding: 'same', stride: 2 }, [1, 1, 7, 8]),
        oneD: shapeOf({ kernelSize: [2], dilation: 3, padding: 'valid' }, [1, 1, 9]),
      };
    },
    verify: (shapes) => {
      expect(
        shapes.valid,
        "10×10, k = 3, d = 2, 'valid': o = i − span + 1 = 10 − 5 + 1 = 6 (000: 2115 with span 5)",
      ).toEqual([1, 1, 6, 6]);
      expect(shapes.validWhole, "7×7, k = 3, d = 3, 'valid': the span 7 covers the image, o = 1").toEqual([1, 1, 1, 1]);
      expect(
        shapes.validStride,
        "10×11, k = 3, d = 2, stride 2, 'valid': ⌊(10 − 5)/2⌋ + 1 = 3, ⌊(11 − 5)/2⌋ + 1 = 4 (000: 2171)",
      ).toEqual([1, 1, 3, 4]);
      expect(shapes.mixed, "5×9, k = 3, dilation [1, 3], 'valid': 5 − 3 + 1 = 3 rows, 9 − 7 + 1 = 3 columns").toEqual([
        1, 1, 3, 3,
      ]);
      expect(shapes.same, "7×7, k = 3, d = 2, 'same': 7×7").toEqual([1, 1, 7, 7]);
      expect(shapes.sameStride, "7×8, k = 3, d = 3, stride 2, 'same': ⌈7/2⌉ × ⌈8/2⌉ = 4×4").toEqual([1, 1, 4, 4]);
      expect(shapes.oneD, "1-D length 9, k = 2, d = 3, 'valid': 9 − 4 + 1 = 6").toEqual([1, 1, 6]);
    },
  }),
  property({
    title: 'dilation 1 is the ordinary Conv, and spreading a kernel by 1 changes nothing',
    run: (rng) =>
      drawSamples(specs, rng, 20).map((g) => {
        const draw = new Rng(g.seed);
        const kernelSize = g.oneD ? [g.kw] : [g.kh, g.kw];
        const w = draw.normalTensor([g.outChannels, g.inChannels, ...kernelSize]);
        const x = draw.normalTensor(
          g.oneD ? [g.batch, g.inChannels, g.width] : [g.batch, g.inChannels, g.height, g.width],
        );
        const padding = g.padding === 'valid' && (g.height < g.kh || g.width < g.kw) ? 'same' : g.padding;
        const options = { stride: g.oneD ? g.sw : [g.sh, g.sw], padding } as const;
        const w4 = w.reshape([g.outChannels, g.inChannels, g.kh, g.kw]);
        return {
          label: describeSpec({ ...g, dh: 1, dw: 1, padding }),
          spreadOne: tensorData(spreadKernel(w4, [1, 1]), 'spreadKernel with dilation [1, 1]'),
          w: tensorData(w4, 'w'),
          plain: tensorData(convWith(w, options).forward(x), 'Conv.forward'),
          dilationOne: tensorData(
            convWith(w, { ...options, dilation: g.oneD ? [1] : [1, 1] }).forward(x),
            'Conv.forward with dilation 1',
          ),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ label, spreadOne, w, plain, dilationOne }) => {
        expectClose(
          spreadOne,
          w,
          0,
          `${label}: spreadKernel with dilation [1, 1] must return the kernel unchanged (d·(k − 1) + 1 = k)`,
        );
        expectClose(dilationOne, plain, 1e-12, `${label}: Conv with dilation 1 must equal Conv without the option`);
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'a dilated kernel is an ordinary convolution with the kernel spread out by zeros: forward, ∂L/∂x, ∂L/∂w, ∂L/∂bias on random geometries',
    weight: 3,
    run: (rng) => drawSamples(specs, rng, 50).map(dilatedPass),
    verify: (passes) =>
      passes.forEach((pass, i) => {
        verifyPass(pass, `sample ${i} (${describeSpec(pass.spec)})`);
      }),
    hiddenRerun: true,
  }),
  ...gradientCases.map(({ label, options, input }) =>
    gradient({
      title: `input, weight and bias match centred differences: ${label}`,
      run: (rng) => layerGradients(new Conv({ ...options, rng: rng.fork() }), rng.normalTensor(input)),
      verify: (report) => expectGradientsMatch(report, 1e-6),
      hiddenRerun: true,
      matchReference: false,
    }),
  ),
  badInput({
    title: "explains bad dilations: 0, 1.5, one entry for a 2-D kernel, a dilated 'valid' kernel wider than the input",
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(
        new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], dilation: 2, rng: new Rng(1) }).forward(
          zeros([1, 1, 5, 5]),
        ),
        'Conv.forward (dilation 2)',
      ).shape;
      const make = (dilation: unknown) => () =>
        new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], dilation: dilation as number, rng: new Rng(1) });
      return {
        shape,
        zero: thrown(make(0)),
        fraction: thrown(make(1.5)),
        oneEntry: thrown(make([2])),
        tooWide: thrown(() =>
          new Conv({
            inChannels: 1,
            outChannels: 1,
            kernelSize: [3],
            dilation: 3,
            padding: 'valid',
            rng: new Rng(1),
          }).forward(zeros([1, 1, 6])),
        ),
      };
    },
    verify: ({ shape, zero, fraction, oneEntry, tooWide }) => {
      expect(shape, "Conv.forward of [1, 1, 5, 5] with a 3×3 kernel dilated by 2, 'same'").toEqual([1, 1, 5, 5]);
      expectError(zero, ValueError.name, 'new Conv with dilation 0', ['dilation must be a positive integer']);
      expectError(fraction, ValueError.name, 'new Conv with dilation 1.5', ['dilation must be a positive integer']);
      expectError(oneEntry, ValueError.name, 'new Conv with a 2-D kernel and dilation [2]', ['dilation']);
      expectError(tooWide, ShapeError.name, "1-D Conv.forward of length 6 with k = 3 dilated by 3 'valid' (span 7)", [
        'does not fit an input of size 6',
      ]);
    },
  }),
  training({
    title: `a 3×3 Conv dilated by 2 in a small CNN (test-local other layers) learns held-out digit glyphs (accuracy ≥ ${GLYPH_ACCURACY})`,
    weight: 2,
    // Conv(1→4, 3×3, dilation 2, same) → ReLU → MaxPool 2×2 → Flatten → Dense(64→32) → ReLU → Dense(32→10): only the Conv is yours.
    run: (rng) => {
      const init = rng.fork();
      const conv = new Conv({ inChannels: 1, outChannels: 4, kernelSize: [3, 3], dilation: 2, rng: init.fork() });
      conv.weight.assign(init.normalTensor([4, 1, 3, 3], 0, Math.sqrt(2 / 9)));
      conv.bias.assign(new Tensor([4], new Float64Array(4).fill(0.1)));
      return trainOnGlyphs(digitsCnn({ conv }, init), rng, {
        iterations: 120,
        batchSize: 16,
        what: 'the CNN with your dilated Conv',
      });
    },
    verify: (data) =>
      verifyGlyphTraining(
        data,
        'CNN with your dilated Conv',
        'Check spreadKernel and gatherKernelGradient (the property checks above say which).',
      ),
    matchReference: false,
  }),
]);

function tensorOf(values: number[], shape: number[]): Tensor {
  return new Tensor(shape, Float64Array.from(values));
}
