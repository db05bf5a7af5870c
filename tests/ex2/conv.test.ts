import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Conv, convAxisGeometry } from '#impl/layers/conv.js';
import { fromArray, Rng, ShapeError, Tensor, tensor, ValueError, zeros, type Initializer } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { geometryOf, referenceConv, referenceConvGradients } from '../helpers/conv-double.js';
import { AdamDouble, digitsCnn, trainOnDigits } from '../helpers/cnn-doubles.js';

/** A Conv with the given weights and bias (the weights' shape fixes the kernel). */
function convWith(weight: Tensor, bias: Tensor, options: { stride?: number | number[]; padding?: 'same' | 'valid' } = {}): Conv {
  const [outChannels, inChannels, ...kernelSize] = weight.shape;
  const conv = new Conv({ inChannels, outChannels, kernelSize, ...options });
  conv.weight.assign(weight);
  conv.bias.assign(bias);
  return conv;
}

/** Random 2-D or 1-D geometries, including even kernels, 1×1 kernels and strides that do not divide the size. */
const geometries = fc.record({
  oneD: fc.boolean(),
  batch: fc.integer({ min: 1, max: 2 }),
  inChannels: fc.integer({ min: 1, max: 3 }),
  outChannels: fc.integer({ min: 1, max: 3 }),
  height: fc.integer({ min: 1, max: 7 }),
  width: fc.integer({ min: 1, max: 7 }),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  sh: fc.integer({ min: 1, max: 3 }),
  sw: fc.integer({ min: 1, max: 3 }),
  padding: fc.constantFrom('same' as const, 'valid' as const),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
}).map((g) => (g.oneD ? { ...g, height: 1, kh: 1, sh: 1 } : g))
  .filter((g) => g.padding === 'same' || (g.height >= g.kh && g.width >= g.kw));

type GeometryCase = typeof geometries extends fc.Arbitrary<infer T> ? T : never;
type Case = { conv: Conv; x: Tensor; geometry: ReturnType<typeof geometryOf>; x4: Tensor; w4: Tensor };

function caseOf(g: GeometryCase): Case {
  const rng = new Rng(g.seed);
  const kernelSize = g.oneD ? [g.kw] : [g.kh, g.kw];
  const conv = new Conv({ inChannels: g.inChannels, outChannels: g.outChannels, kernelSize, stride: g.oneD ? g.sw : [g.sh, g.sw], padding: g.padding, rng });
  conv.weight.assign(rng.normalTensor(conv.weight.value.shape));
  conv.bias.assign(rng.normalTensor([g.outChannels]));
  const x4 = rng.normalTensor([g.batch, g.inChannels, g.height, g.width]);
  const x = g.oneD ? x4.reshape([g.batch, g.inChannels, g.width]) : x4;
  const w4 = conv.weight.value.reshape([g.outChannels, g.inChannels, g.kh, g.kw]);
  return { conv, x, x4, w4, geometry: geometryOf([g.height, g.width], [g.kh, g.kw], [g.sh, g.sw], g.padding) };
}

describe('ex2 Conv', () => {
  describe('properties', () => {
    it('matches the reference convolution on random 1-D and 2-D geometries (stride, same/valid, even and 1×1 kernels)', () => {
      assertProperty(
        fc.property(geometries, (g) => {
          const { conv, x, x4, w4, geometry } = caseOf(g);
          const expected = referenceConv(x4, w4, conv.bias.value, geometry);
          const y = conv.forward(x);
          const label = `Conv(${JSON.stringify(g)}).forward`;
          expectClose(y.reshape(expected.shape), expected, 1e-12, label);
          expect(y.rank, `${label}: a ${g.oneD ? '1-D' : '2-D'} convolution keeps the input's rank`).toBe(x.rank);
        }),
        80,
      );
    });

    it('backward matches the reference gradients on random geometries (input, weight and bias)', () => {
      assertProperty(
        fc.property(geometries, (g) => {
          const { conv, x, x4, w4, geometry } = caseOf(g);
          const y = conv.forward(x);
          const dy = new Rng(g.seed + 1).normalTensor(y.shape);
          conv.weight.zeroGrad();
          conv.bias.zeroGrad();
          const dx = conv.backward(dy);
          const expected = referenceConvGradients(x4, w4, conv.bias.value, dy.reshape([g.batch, g.outChannels, ...geometry.outShape]), geometry);
          const label = `Conv(${JSON.stringify(g)}).backward`;
          expectClose(dx.reshape(expected.dx.shape), expected.dx, 1e-12, `${label}: ∂L/∂input`);
          expectClose(conv.weight.grad.reshape(expected.dw.shape), expected.dw, 1e-12, `${label}: ∂L/∂weight`);
          expectClose(conv.bias.grad, expected.dbias, 1e-12, `${label}: ∂L/∂bias`);
        }),
        80,
      );
    });

    it("'same' keeps ceil(n / stride) positions and 'valid' floor((n − k) / stride) + 1", () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (n, k, s) => {
          expect(convAxisGeometry(n, k, s, 'same', 'test').outSize, `same: n=${n} k=${k} stride=${s}`).toBe(Math.ceil(n / s));
          expect(convAxisGeometry(n, k, s, 'same', 'test').padBefore, `same padding before: k=${k}`).toBe(Math.floor((k - 1) / 2));
          if (n >= k) expect(convAxisGeometry(n, k, s, 'valid', 'test').outSize, `valid: n=${n} k=${k} stride=${s}`).toBe(Math.floor((n - k) / s) + 1);
        }),
      );
    });

    it('a delta kernel (1 at the centre, zero bias) is the identity with same padding', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (radius, h, w, seed) => {
          const k = 2 * radius + 1;
          const channels = 2;
          const weight = zeros([channels, channels, k, k]);
          for (let c = 0; c < channels; c++) weight.set(1, c, c, radius, radius);
          const conv = convWith(weight, zeros([channels]));
          const x = new Rng(seed).normalTensor([2, channels, h, w]);
          expectClose(conv.forward(x), x, 1e-15, `Conv with a ${k}×${k} delta kernel`);
        }),
      );
      const delta1d = convWith(tensor([0, 1, 0], [1, 1, 3]), zeros([1]));
      const signal = fromArray([[[3, -1, 4, 1, -5]]]);
      expectClose(delta1d.forward(signal), signal, 1e-15, 'Conv 1-D with the delta kernel [0, 1, 0]');
    });

    it('is linear in its input and in its weights (with zero bias)', () => {
      assertProperty(
        fc.property(geometries, fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (g, alpha, beta) => {
          const { conv, x } = caseOf(g);
          conv.bias.assign(zeros(conv.bias.value.shape));
          const rng = new Rng(g.seed + 7);
          const other = rng.normalTensor(x.shape);
          const combined = new Tensor(x.shape, x.data.map((v, i) => alpha * v + beta * other.data[i]));
          const y1 = conv.forward(x).data;
          const y2 = conv.forward(other).data;
          const expected = new Tensor(conv.forward(combined).shape, y1.map((v, i) => alpha * v + beta * y2[i]));
          expectClose(conv.forward(combined), expected, 1e-10, 'Conv(αx + βx′) = α·Conv(x) + β·Conv(x′)');
          const w = conv.weight.value;
          const w2 = rng.normalTensor(w.shape);
          const yw1 = conv.forward(x).data;
          conv.weight.assign(w2);
          const yw2 = conv.forward(x).data;
          conv.weight.assign(new Tensor(w.shape, w.data.map((v, i) => alpha * v + beta * w2.data[i])));
          expectClose(conv.forward(x), new Tensor(expected.shape, yw1.map((v, i) => alpha * v + beta * yw2[i])), 1e-10, 'Conv with weights αW + βW′');
        }),
        40,
      );
    });

    it('shifting the input shifts the output, away from the border (translation equivariance, 000: 2079–2082)', () => {
      assertProperty(
        fc.property(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1e6 }), (dr, ds, seed) => {
          const rng = new Rng(seed);
          const size = 12;
          const conv = convWith(rng.normalTensor([2, 1, 3, 3]), rng.normalTensor([2]), { padding: 'valid' });
          const x = rng.normalTensor([1, 1, size, size]);
          const shifted = zeros([1, 1, size, size]);
          for (let r = 0; r + dr < size; r++) for (let s = 0; s + ds < size; s++) shifted.set(x.get(0, 0, r, s), 0, 0, r + dr, s + ds);
          const y = conv.forward(x);
          const yShifted = conv.forward(shifted);
          for (let o = 0; o < 2; o++)
            for (let i = 0; i + dr < size - 2; i++)
              for (let j = 0; j + ds < size - 2; j++) {
                expect(yShifted.get(0, o, i + dr, j + ds), `output at (${i + dr}, ${j + ds}) after shifting the input by (${dr}, ${ds})`).toBeCloseTo(y.get(0, o, i, j), 10);
              }
        }),
        30,
      );
    });
  });

  describe('gradients', () => {
    const rng = new Rng(42);
    const cases: { label: string; options: ConstructorParameters<typeof Conv>[0]; input: number[] }[] = [
      { label: "2-D 3×3 'same' stride 1", options: { inChannels: 2, outChannels: 3, kernelSize: [3, 3] }, input: [2, 2, 5, 6] },
      { label: "2-D 4×4 (even) 'valid' stride 2 on 7×9 (stride does not divide)", options: { inChannels: 2, outChannels: 2, kernelSize: [4, 4], stride: 2, padding: 'valid' }, input: [2, 2, 7, 9] },
      { label: "2-D 2×3 'same' stride [2, 3]", options: { inChannels: 1, outChannels: 2, kernelSize: [2, 3], stride: [2, 3] }, input: [2, 1, 5, 7] },
      { label: '2-D 1×1 kernel', options: { inChannels: 3, outChannels: 2, kernelSize: [1, 1] }, input: [2, 3, 3, 4] },
      { label: "1-D k=4 'same' stride 2", options: { inChannels: 2, outChannels: 3, kernelSize: [4], stride: 2 }, input: [2, 2, 9] },
      { label: "1-D k=3 'valid' stride 1", options: { inChannels: 1, outChannels: 2, kernelSize: [3], padding: 'valid' }, input: [3, 1, 6] },
    ];
    for (const { label, options, input } of cases) {
      it(`match centred differences on the input, weight and bias: ${label}`, () => {
        const conv = new Conv({ ...options, rng });
        expectGradientsMatch(conv, rng.normalTensor(input), 1e-6);
      });
    }

    it('accumulates: two backward calls give twice the parameter gradients', () => {
      const conv = new Conv({ inChannels: 1, outChannels: 2, kernelSize: [3, 3], rng });
      const x = rng.normalTensor([2, 1, 4, 4]);
      const dy = rng.normalTensor([2, 2, 4, 4]);
      conv.forward(x);
      conv.backward(dy);
      const once = conv.weight.grad.clone();
      const onceBias = conv.bias.grad.clone();
      conv.backward(dy);
      expectClose(conv.weight.grad, new Tensor(once.shape, once.data.map((v) => 2 * v)), 1e-12, 'Conv weight gradient after two backward calls (add to .grad, do not assign)');
      expectClose(conv.bias.grad, new Tensor(onceBias.shape, onceBias.data.map((v) => 2 * v)), 1e-12, 'Conv bias gradient after two backward calls');
    });
  });

  describe('known values', () => {
    // The dummy image of seed 000_62f7213e93c3733a.txt lines 1759–1768 as reconstructed in the
    // catalogue §4.7 (rows 9 and 10 from the later copies, 1778–1823).
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
    const sobelX = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];
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

    it('reproduces the full 10×10 → 8×8 Sobel feature map of seed 000 (lines 1759–1837): valid cross-correlation, no kernel flip', () => {
      const conv = convWith(fromArray([[sobelX]]), zeros([1]), { padding: 'valid' });
      const y = conv.forward(fromArray([[image]]));
      expectClose(y.reshape([8, 8]), featureMap, 0, 'Sobel S_x feature map (seed 000: 1830–1837); a negated map means the kernel was flipped (convolution instead of cross-correlation)');
    });

    it("the normalised Sobel map of seed 000 lines 1846–1853 is round((v + 1020) / 2040 · 255)", () => {
      const conv = convWith(fromArray([[sobelX]]), zeros([1]), { padding: 'valid' });
      const y = conv.forward(fromArray([[image]])).data;
      const normalised = Array.from(y, (v) => Math.floor(((v + 1020) / 2040) * 255 + 0.5));
      expect(normalised.slice(0, 8), 'first row of the normalised map (000: 1846)').toEqual([128, 191, 255, 191, 64, 0, 64, 128]);
      expect(normalised.slice(56, 64), 'last row of the normalised map (000: 1853)').toEqual([159, 255, 128, 32, 223, 128, 0, 159]);
    });

    it('computes the 5×5 ⊛ 3×3 example of seed 001 (lines 454–465): first value 4, full map [[4,3,4],[2,4,3],[2,3,4]]', () => {
      const x = fromArray([[[[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]]]);
      const conv = convWith(fromArray([[[[1, 0, 1], [0, 1, 0], [1, 0, 1]]]]), zeros([1]), { padding: 'valid' });
      expectClose(conv.forward(x).reshape([3, 3]), [[4, 3, 4], [2, 4, 3], [2, 3, 4]], 0, "seed 001's convolved feature (454–465; only the first value, 4, is printed)");
    });

    it("computes seed 001's 7×7 image with its 3×3 feature detector (lines 434–450, derived in catalogue §4.8)", () => {
      const x = fromArray([[[[0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0], [0, 1, 0, 0, 0, 1, 0], [0, 0, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0]]]]);
      const conv = convWith(fromArray([[[[0, 0, 1], [1, 0, 0], [0, 1, 1]]]]), zeros([1]), { padding: 'valid' });
      expectClose(conv.forward(x).reshape([5, 5]), [[0, 1, 0, 0, 0], [0, 1, 1, 1, 0], [1, 0, 0, 2, 1], [1, 4, 2, 1, 0], [0, 0, 1, 2, 1]], 0, "seed 001's 7×7 input ⊛ feature detector");
    });

    it('gives the output sizes of catalogue §4.12 (000: 2113–2115, 2169–2171; 004: 3093–3108)', () => {
      const shapeOf = (options: Partial<ConstructorParameters<typeof Conv>[0]>, input: number[]): readonly number[] =>
        new Conv({ inChannels: input[1], outChannels: 2, kernelSize: [3, 3], ...options }).forward(zeros(input)).shape;
      expect(shapeOf({ kernelSize: [2, 2], padding: 'valid' }, [1, 1, 5, 5]), "i=5, k=2, valid → o = i − k + 1 = 4 (000: 2095, 2115)").toEqual([1, 2, 4, 4]);
      expect(shapeOf({ padding: 'same' }, [1, 1, 5, 5]), 'i=5, k=3, same → 5 (000: 2122)').toEqual([1, 2, 5, 5]);
      expect(shapeOf({ padding: 'valid' }, [1, 1, 10, 10]), '10×10 with a 3×3 kernel, valid → 8×8 (000: 1830–1837)').toEqual([1, 2, 8, 8]);
      expect(shapeOf({ padding: 'valid', stride: 2 }, [1, 1, 7, 8]), 'valid stride 2: ⌊(7−3)/2⌋+1 = 3, ⌊(8−3)/2⌋+1 = 3 (000: 2171)').toEqual([1, 2, 3, 3]);
      expect(shapeOf({ padding: 'same', stride: 2 }, [1, 3, 7, 8]), "same stride 2: ⌈7/2⌉ = 4, ⌈8/2⌉ = 4 ('same' output X × Y × H, 004: 3108)").toEqual([1, 2, 4, 4]);
      expect(new Conv({ inChannels: 1, outChannels: 1, kernelSize: [4], stride: 3 }).forward(zeros([1, 1, 10])).shape, '1-D same stride 3: ⌈10/3⌉ = 4').toEqual([1, 1, 4]);
    });

    it("pads an even kernel's extra zero after: a 2×2 'same' kernel reads x[i, j], x[i, j+1], x[i+1, j], x[i+1, j+1]", () => {
      const conv = convWith(fromArray([[[[1, 10], [100, 1000]]]]), zeros([1]));
      const y = conv.forward(fromArray([[[[1, 2], [3, 4]]]]));
      // Padding 0 before and 1 after: y[0,0] = 1·1 + 10·2 + 100·3 + 1000·4; y[1,1] = 1·4 (the rest reads zeros).
      expectClose(y.reshape([2, 2]), [[4321, 2 + 400], [3 + 40, 4]], 0, "2×2 kernel with 'same' padding (the extra zero goes after, as in PyTorch)");
    });

    it('backward by hand: 1×1×3×3 input, 2×2 valid kernel, ∂L/∂y = 1', () => {
      const conv = convWith(fromArray([[[[1, 2], [3, 4]]]]), tensor([0.5], [1]), { padding: 'valid' });
      const x = fromArray([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
      expectClose(conv.forward(x).reshape([2, 2]), [[37.5, 47.5], [67.5, 77.5]], 0, 'forward: 1·1+2·2+3·4+4·5 + 0.5 = 37.5, …');
      const dx = conv.backward(fromArray([[[[1, 1], [1, 1]]]]));
      // Each input gets the sum of the weights that touched it.
      expectClose(dx.reshape([3, 3]), [[1, 3, 2], [4, 10, 6], [3, 7, 4]], 0, '∂L/∂x: each input collects the weights that read it');
      // Each weight gets the sum of the inputs it read.
      expectClose(conv.weight.grad.reshape([2, 2]), [[12, 16], [24, 28]], 0, '∂L/∂w: each weight collects the inputs it read');
      expectClose(conv.bias.grad, [4], 0, '∂L/∂bias: one per output position');
    });
  });

  describe('initialization and errors', () => {
    it('passes fanIn = inChannels·∏k and fanOut = outChannels·∏k to the initializers (DESIGN §3)', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], padding: 'same' }).forward(zeros([1, 1, 4, 4])).shape).toEqual([1, 1, 4, 4]);
      const calls: { shape: readonly number[]; fanIn: number; fanOut: number }[] = [];
      const recording: Initializer = {
        initialize: (shape, fanIn, fanOut) => {
          calls.push({ shape, fanIn, fanOut });
          return zeros(shape);
        },
      };
      new Conv({ inChannels: 3, outChannels: 5, kernelSize: [2, 4] }).initialize(recording, recording, new Rng(1));
      new Conv({ inChannels: 2, outChannels: 7, kernelSize: [3] }).initialize(recording, recording, new Rng(1));
      expect(calls).toEqual([
        { shape: [5, 3, 2, 4], fanIn: 24, fanOut: 40 },
        { shape: [5], fanIn: 24, fanOut: 40 },
        { shape: [7, 2, 3], fanIn: 6, fanOut: 21 },
        { shape: [7], fanIn: 6, fanOut: 21 },
      ]);
    });

    it('explains bad input and bad options', () => {
      const conv = new Conv({ inChannels: 3, outChannels: 2, kernelSize: [3, 3] });
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(conv.forward(zeros([1, 3, 5, 5])).shape).toEqual([1, 2, 5, 5]);
      expect(() => conv.forward(zeros([4, 1, 8, 8]))).toThrow(new ShapeError('Conv.forward expected input [batch, 3, height, width], got [4, 1, 8, 8]'));
      expect(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [5, 5], padding: 'valid' }).forward(zeros([1, 1, 4, 8]))).toThrow(/does not fit an input of size 4/);
      expect(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3, 3] })).toThrow(ValueError);
      expect(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], stride: 0 })).toThrow(/stride must be a positive integer/);
      expect(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3, 3], padding: 'full' as 'same' })).toThrow(/padding must be 'same' or 'valid'/);
      expect(() => new Conv({ inChannels: 1, outChannels: 1, kernelSize: [3] }).backward(zeros([1, 1, 4]))).toThrow(/before forward/);
    });
  });

  describe('training', () => {
    it('Conv in the Digits CNN (test-local other layers and Adam) reaches ≥ 0.90 test accuracy', () => {
      const rng = new Rng(3);
      const conv = new Conv({ inChannels: 1, outChannels: 4, kernelSize: [3, 3], rng });
      conv.weight.assign(rng.normalTensor([4, 1, 3, 3], 0, Math.sqrt(2 / 9)));
      conv.bias.assign(new Tensor([4], new Float64Array(4).fill(0.1)));
      const accuracy = trainOnDigits(digitsCnn({ conv }, rng), new AdamDouble(0.01), { iterations: 200, batchSize: 32, seed: 5 });
      expect(accuracy, 'Digits CNN test accuracy with your Conv (forward and all three gradients take part)').toBeGreaterThanOrEqual(0.9);
    });
  });
});
