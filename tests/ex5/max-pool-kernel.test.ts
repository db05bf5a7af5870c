import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, Rng, runKernel, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import '#impl/kernels/max-pool2d.js';
import { propertyOptions } from '../helpers/property.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { maxPool2dReference } from '../helpers/cpu-reference.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5, max-pool forward: solutions/kernels/max-pool2d.wgsl against a CPU reference, with
 * Exercise 2's contract (attributes kernel [ph, pw], stride [sh, sw], 'valid'). Exact: max copies.
 * Handout: docs/exercises/5-webgpu.md#maxpool-kernel
 */
const gpu = await webgpuForTests();
const rng = new Rng(53);
const random = (shape: number[]): Tensor => rng.uniformTensor(shape, -3, 3).asType('float32').asType('float64');

async function expectPoolMatches(shape: number[], kernel: [number, number], stride: [number, number]): Promise<void> {
  const x = random(shape);
  const y = runKernel('maxPool2d', [await x.to('webgpu')], { kernel, stride });
  await expectGpuMatches(y, maxPool2dReference(x, kernel, stride), 0, `maxPool2d of ${JSON.stringify(shape)}, window ${JSON.stringify(kernel)}, stride ${JSON.stringify(stride)}`);
}

describeOnGpu(gpu, 'ex5 MaxPoolKernel', () => {
  describe('properties', () => {
    // Outputs below, at and past the 256-invocation workgroup; overlapping and ragged windows.
    it.each<[number[], [number, number], [number, number]]>([
      [[1, 1, 2, 2], [2, 2], [2, 2]],
      [[2, 3, 8, 8], [2, 2], [2, 2]],
      [[1, 4, 32, 32], [2, 2], [2, 2]], // exactly 256 outputs
      [[1, 1, 35, 31], [3, 3], [2, 2]], // overlapping windows, a ragged border
      [[3, 2, 9, 12], [3, 2], [1, 3]],
      [[2, 16, 17, 17], [2, 2], [2, 2]], // 2048 outputs
    ])('matches the CPU for %j, window %j, stride %j', async (shape, kernel, stride) => {
      await expectPoolMatches(shape, kernel, stride);
    });

    it('matches the CPU on random geometries', async () => {
      const geometry = fc.record({
        batch: fc.integer({ min: 1, max: 3 }), channels: fc.integer({ min: 1, max: 4 }),
        ph: fc.integer({ min: 1, max: 3 }), pw: fc.integer({ min: 1, max: 3 }),
        sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 3 }),
        extraH: fc.integer({ min: 0, max: 9 }), extraW: fc.integer({ min: 0, max: 9 }),
      });
      await fc.assert(
        fc.asyncProperty(geometry, async (g) => expectPoolMatches([g.batch, g.channels, g.ph + g.extraH, g.pw + g.extraW], [g.ph, g.pw], [g.sh, g.sw])),
        { ...propertyOptions, numRuns: 30 },
      );
    });
  });

  describe('known values', () => {
    it('2×2 windows with stride 2 keep the largest of each block, negatives included', async () => {
      const x = fromArray([[1, 3, -1, -5], [2, 0, -2, -3], [7, 6, 0, 0], [5, 8, 0, -1]]).reshape([1, 1, 4, 4]);
      const y = runKernel('maxPool2d', [await x.to('webgpu')], { kernel: [2, 2], stride: [2, 2] });
      await expectGpuMatches(y, fromArray([[3, -1], [8, 0]]).reshape([1, 1, 2, 2]), 0, 'max-pool 4×4 → 2×2');
    });
  });

  it('runs the WGSL kernel', async () => {
    const before = gpuDispatchCount('maxPool2d');
    await expectPoolMatches([1, 1, 4, 4], [2, 2], [2, 2]);
    expect(gpuDispatchCount('maxPool2d')).toBe(before + 1);
  });
});
