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
  fail,
  knownValue,
  property,
  tensorData,
  thrown,
  type TensorData,
} from '../harness/index.js';
import {
  convChecks,
  convGeometries,
  convWith,
  describeGeometry,
  outputShape,
  spanGeometry,
  type ConvSpec,
} from '../helpers/conv-checks.js';
import { convDefinition, geometry2d, nd } from '../helpers/conv-definition.js';
import { GLYPH_ACCURACY } from '../helpers/digit-glyphs.js';

/**
 * Exercise 6, DilatedConv: Conv with `dilation` d reads x[…, i·s + m·d − p] (seed 004: 3152–3157, "Dilate
 * convolution kernel: Skip certain pixels; Goal: Wider receptive field with less parameters"). It is
 * Exercise 2's convolution with the kernel spread out (w[m, n] at (m·dh, n·dw), zeros between), a span of
 * d·(k − 1) + 1 that the output sizes of catalogue §4.12 (seed 000: 2113–2115, 2169–2171) use in place of k.
 * What you write: dilated-kernel.ts (dilatedKernelSize, spreadKernel, gatherKernelGradient); Conv calls it.
 * Handout: docs/exercises/6-modern.md#dilatedconv
 * The checks DilatedConv shares with Conv come from tests/helpers/conv-checks.ts; this file adds the
 * dilation's own known values and laws.
 */

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

/** DilatedConv through the shared checks: Conv with a dilation drawn per axis. */
const DILATED: ConvSpec = {
  make: (options) => new Conv(options),
  dilated: true,
  forwardName: 'Conv.forward (dilated)',
  backwardName: 'Conv.backward (dilated)',
  // Dilations 1 to 3 per axis, even kernels, strides, both paddings.
  geometries: convGeometries({ oneD: true, batch: 2, channels: 2, size: 9, kernel: 3, stride: 2, dilation: 3 }),
  // Exercise 2's convolution with the spread kernel; the weight gradient read back at the taps.
  definition: (g, x4, w4, bias, dy4) => {
    const spread = spreadData(w4, [g.dh, g.dw]);
    const want = convDefinition(x4, spread, bias, spanGeometry(g), dy4);
    const [, , spreadH, spreadW] = spread.shape;
    const dw: number[] = [];
    for (let f = 0; f < g.outChannels * g.inChannels; f++)
      for (let m = 0; m < g.kh; m++)
        for (let n = 0; n < g.kw; n++) dw.push(want.dw.data[(f * spreadH + m * g.dh) * spreadW + n * g.dw]);
    return { ...want, dw: { shape: [...w4.shape], data: dw } };
  },
  formulas: {
    outputSize:
      "A kernel of size k dilated by d spans d·(k − 1) + 1 (dilatedKernelSize): 'valid' keeps ⌊(n − d·(k − 1) − 1) / s⌋ + 1 positions, 'same' ⌈n / s⌉.",
    forward:
      "y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m·dh − pt, j·sw + n·dw − pl] · w[o, c, m, n] (spreadKernel: w[m, n] at (m·dh, n·dw), zeros between; 'same' pads ⌊(span − 1)/2⌋ before)",
    inputGradient: "∂L/∂x: Exercise 2's input gradient with the spread kernel",
    weightGradient:
      "∂L/∂w[o, c, m, n] = ∂L/∂spread[o, c, m·dh, n·dw] (gatherKernelGradient reads the spread kernel's gradient where spreadKernel put each weight)",
    biasGradient: '∂L/∂bias[o] = Σ_b Σ_i Σ_j ∂L/∂y[b, o, i, j] (dilation does not change it)',
  },
  forwardMistakes: [
    {
      // The output index scaled instead of the kernel offset: x[i·s·d + m − p].
      output: (g, x4, w4, bias) =>
        convDefinition(
          x4,
          w4,
          bias,
          geometry2d([g.height, g.width], [g.kh, g.kw], [g.sh * g.dh, g.sw * g.dw], g.padding),
        ).y,
      message:
        'multiplies the output position by the dilation (a stride) instead of the kernel offset: the taps are m·d apart, x[i·s + m·d − p] (spreadKernel puts w[m] at m·d).',
    },
  ],
  randomChecks: [
    {
      title:
        'a dilated kernel is an ordinary convolution with the kernel spread out by zeros: forward, ∂L/∂x, ∂L/∂w, ∂L/∂bias on random geometries',
      weight: 3,
      samples: 50,
      backward: true,
    },
  ],
  gradientCases: [
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
  ],
  training: {
    title: `a 3×3 Conv dilated by 2 in a small CNN (test-local other layers) learns held-out digit glyphs (accuracy ≥ ${GLYPH_ACCURACY})`,
    options: { dilation: 2 },
    schedule: { iterations: 120, batchSize: 16 },
    what: 'dilated Conv',
    hint: 'Check spreadKernel and gatherKernelGradient (the property checks above say which).',
  },
};

/** The student's Conv with the given weights, zero bias, and these options. */
const convOf = (weight: Tensor, options: Partial<ConvOptions>) => convWith(DILATED, weight, undefined, options);

export default componentChecks('ex6', 'DilatedConv', [
  ...convChecks(DILATED),
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
        convOf(
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
        convOf(tensorOf([1, 10, 100], [1, 1, 3]), { dilation: 2, padding: 'valid' }).forward(
          tensorOf([1, 2, 3, 4, 5, 6, 7], [1, 1, 7]),
        ),
        'Conv.forward (1-D, dilation 2)',
      ),
      same: tensorData(
        convOf(tensorOf([1, 10], [1, 1, 2]), { dilation: 3, padding: 'same' }).forward(
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
        outputShape(DILATED, options, input);
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
      drawSamples(DILATED.geometries, rng, 20).map((g) => {
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
          label: describeGeometry({ ...g, dh: 1, dw: 1, padding }, true),
          spreadOne: tensorData(spreadKernel(w4, [1, 1]), 'spreadKernel with dilation [1, 1]'),
          w: tensorData(w4, 'w'),
          plain: tensorData(convOf(w, options).forward(x), 'Conv.forward'),
          dilationOne: tensorData(
            convOf(w, { ...options, dilation: g.oneD ? [1] : [1, 1] }).forward(x),
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
]);

function tensorOf(values: number[], shape: number[]): Tensor {
  return new Tensor(shape, Float64Array.from(values));
}
