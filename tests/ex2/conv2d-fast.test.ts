import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { col2im, conv2dBackwardInputFastCpu, conv2dBackwardWeightsFastCpu, conv2dFastCpu, im2col, useFastConvKernels } from '#impl/layers/conv2d-fast.js';
import { Conv } from '#impl/layers/conv.js';
import { dispatchCount, resetDispatchCounts, Rng, Tensor } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { geometryOf, referenceConv, referenceConvGradients } from '../helpers/conv-double.js';

const geometries = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    inChannels: fc.integer({ min: 1, max: 3 }),
    outChannels: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 8 }),
    width: fc.integer({ min: 1, max: 8 }),
    kh: fc.integer({ min: 1, max: 4 }),
    kw: fc.integer({ min: 1, max: 4 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom('same' as const, 'valid' as const),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .filter((g) => g.padding === 'same' || (g.height >= g.kh && g.width >= g.kw));

describe('ex2 ConvFastPath', () => {
  describe('properties', () => {
    it('forward and both gradients equal the reference convolution on random geometries', () => {
      assertProperty(
        fc.property(geometries, (g) => {
          const rng = new Rng(g.seed);
          const x = rng.normalTensor([g.batch, g.inChannels, g.height, g.width]);
          const w = rng.normalTensor([g.outChannels, g.inChannels, g.kh, g.kw]);
          const bias = rng.normalTensor([g.outChannels]);
          const geometry = geometryOf([g.height, g.width], [g.kh, g.kw], [g.sh, g.sw], g.padding);
          const dy = rng.normalTensor([g.batch, g.outChannels, ...geometry.outShape]);
          const expected = referenceConvGradients(x, w, bias, dy, geometry);
          const label = `fast conv ${JSON.stringify(g)}`;
          expectClose(conv2dFastCpu(x, w, bias, geometry, geometry.outShape), referenceConv(x, w, bias, geometry), 1e-12, `${label}: forward`);
          expectClose(conv2dBackwardInputFastCpu(dy, w, geometry, [g.height, g.width]), expected.dx, 1e-12, `${label}: ∂L/∂input`);
          expectClose(conv2dBackwardWeightsFastCpu(x, dy, geometry, [g.kh, g.kw]), expected.dw, 1e-12, `${label}: ∂L/∂weight`);
        }),
        80,
      );
    });

    it('col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩', () => {
      assertProperty(
        fc.property(geometries, (g) => {
          const rng = new Rng(g.seed);
          const geometry = geometryOf([g.height, g.width], [g.kh, g.kw], [g.sh, g.sw], g.padding);
          const x = rng.normalTensor([g.batch, g.inChannels, g.height, g.width]);
          const cols = im2col(x, geometry, [g.kh, g.kw], geometry.outShape);
          const c = rng.normalTensor(cols.shape);
          const back = col2im(c, [g.batch, g.inChannels, g.height, g.width], geometry, [g.kh, g.kw], geometry.outShape);
          const dot = (a: Tensor, b: Tensor): number => Array.from(a.data).reduce((sum, v, i) => sum + v * b.data[i], 0);
          expect(dot(cols, c)).toBeCloseTo(dot(x, back), 9);
        }),
      );
    });
  });

  describe('gradients', () => {
    it('a Conv layer running on the fast kernels matches centred differences', () => {
      useFastConvKernels();
      resetDispatchCounts();
      const rng = new Rng(9);
      expectGradientsMatch(new Conv({ inChannels: 2, outChannels: 3, kernelSize: [3, 2], stride: [2, 1], padding: 'same', rng }), rng.normalTensor([2, 2, 5, 6]), 1e-6);
      expectGradientsMatch(new Conv({ inChannels: 2, outChannels: 2, kernelSize: [4], stride: 3, padding: 'valid', rng }), rng.normalTensor([2, 2, 11]), 1e-6);
      expect(dispatchCount('conv2d', 'cpu'), 'the Conv layer ran through the registered kernels').toBeGreaterThan(0);
    });
  });

  describe('known values', () => {
    it('im2col of a 1×1×3×3 input with a 2×2 valid window lists the four windows as columns', () => {
      const x = new Tensor([1, 1, 3, 3], Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
      const cols = im2col(x, { stride: [1, 1], padBefore: [0, 0] }, [2, 2], [2, 2]);
      expectClose(cols, [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]], 0, 'im2col rows are kernel taps, columns are output positions');
    });
  });
});
