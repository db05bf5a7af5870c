import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, Rng, runKernel, tensor, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import '#impl/kernels/conv2d.js';
import { propertyOptions } from '../helpers/property.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { conv2dReference } from '../helpers/cpu-reference.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5, conv2d forward: solutions/kernels/conv2d.wgsl against a CPU reference, with the
 * kernel contract of Exercise 2 (inputs x, weight, bias; attributes stride, padBefore, outShape).
 * Handout: docs/exercises/5-webgpu.md#conv2d-kernel
 */
const gpu = await webgpuForTests();
const rng = new Rng(41);
const random = (shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');
const TOLERANCE = 1e-5;

interface Case {
  x: number[];
  kernel: [number, number];
  outChannels: number;
  stride: [number, number];
  padding: 'same' | 'valid';
}

/** Output size and padding before, as DESIGN §3 fixes them (Exercise 2's convAxisGeometry). */
function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { out: number; before: number } {
  return padding === 'valid' ? { out: Math.floor((n - k) / s) + 1, before: 0 } : { out: Math.ceil(n / s), before: Math.floor((k - 1) / 2) };
}

async function expectConvMatches({ x: xShape, kernel, outChannels, stride, padding }: Case): Promise<void> {
  const x = random(xShape);
  const weight = random([outChannels, xShape[1], ...kernel]);
  const bias = random([outChannels]);
  const rows = axis(xShape[2], kernel[0], stride[0], padding);
  const columns = axis(xShape[3], kernel[1], stride[1], padding);
  const attributes = { stride, padBefore: [rows.before, columns.before], outShape: [rows.out, columns.out] };
  const y = runKernel('conv2d', [await x.to('webgpu'), await weight.to('webgpu'), await bias.to('webgpu')], attributes);
  const expected = conv2dReference(x, weight, bias, stride, [rows.before, columns.before], [rows.out, columns.out]);
  await expectGpuMatches(y, expected, TOLERANCE, `conv2d x ${JSON.stringify(xShape)}, kernel ${JSON.stringify(kernel)}, stride ${JSON.stringify(stride)}, '${padding}'`);
}

describeOnGpu(gpu, 'ex5 Conv2dKernel', () => {
  describe('properties', () => {
    // Images below, at and past the 8×8 workgroup; 'same' and 'valid'; strides; even kernels.
    it.each<Case>([
      { x: [1, 1, 5, 5], kernel: [3, 3], outChannels: 1, stride: [1, 1], padding: 'same' },
      { x: [2, 3, 8, 8], kernel: [3, 3], outChannels: 4, stride: [1, 1], padding: 'same' },
      { x: [2, 2, 9, 7], kernel: [3, 3], outChannels: 3, stride: [1, 1], padding: 'valid' },
      { x: [1, 3, 17, 16], kernel: [5, 4], outChannels: 2, stride: [2, 3], padding: 'same' },
      { x: [3, 1, 8, 8], kernel: [2, 2], outChannels: 5, stride: [2, 2], padding: 'valid' },
      { x: [2, 4, 1, 30], kernel: [1, 3], outChannels: 3, stride: [1, 2], padding: 'same' }, // a 1-D signal as height 1
    ])('matches the CPU for x $x, kernel $kernel, stride $stride, $padding', async (testCase) => {
      await expectConvMatches(testCase);
    });

    it('matches the CPU on random geometries', async () => {
      const geometry = fc.record({
        batch: fc.integer({ min: 1, max: 3 }), channels: fc.integer({ min: 1, max: 4 }), outChannels: fc.integer({ min: 1, max: 4 }),
        height: fc.integer({ min: 3, max: 12 }), width: fc.integer({ min: 3, max: 12 }),
        kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
        sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }), valid: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(geometry, async (g) => expectConvMatches({
          x: [g.batch, g.channels, g.height, g.width], kernel: [g.kh, g.kw], outChannels: g.outChannels, stride: [g.sh, g.sw], padding: g.valid ? 'valid' : 'same',
        })),
        { ...propertyOptions, numRuns: 25 },
      );
    });
  });

  describe('known values', () => {
    it('the Sobel x-filter finds the vertical edge of a step image', async () => {
      // A 4×5 image, 0 left of column 2 and 1 from it on; Sobel x = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], 'valid'.
      const image = fromArray([[0, 0, 1, 1, 1], [0, 0, 1, 1, 1], [0, 0, 1, 1, 1], [0, 0, 1, 1, 1]]).reshape([1, 1, 4, 5]);
      const sobel = fromArray([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).reshape([1, 1, 3, 3]);
      const y = runKernel('conv2d', [await image.to('webgpu'), await sobel.to('webgpu'), await tensor([0], [1]).to('webgpu')], {
        stride: [1, 1], padBefore: [0, 0], outShape: [2, 3],
      });
      await expectGpuMatches(y, fromArray([[4, 4, 0], [4, 4, 0]]).reshape([1, 1, 2, 3]), 0, 'Sobel x on a step');
    });

    it('a 1×1 kernel of weight 2 and bias 1 maps every pixel to 2x + 1', async () => {
      const x = fromArray([[1, 2], [3, 4]]).reshape([1, 1, 2, 2]);
      const y = runKernel('conv2d', [await x.to('webgpu'), await tensor([2], [1, 1, 1, 1]).to('webgpu'), await tensor([1], [1]).to('webgpu')], {
        stride: [1, 1], padBefore: [0, 0], outShape: [2, 2],
      });
      await expectGpuMatches(y, fromArray([[3, 5], [7, 9]]).reshape([1, 1, 2, 2]), 0, '1×1 convolution');
    });
  });

  it('runs the WGSL kernel', async () => {
    const before = gpuDispatchCount('conv2d');
    await expectConvMatches({ x: [1, 1, 3, 3], kernel: [3, 3], outChannels: 1, stride: [1, 1], padding: 'same' });
    expect(gpuDispatchCount('conv2d')).toBe(before + 1);
  });
});
