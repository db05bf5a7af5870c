import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addScalar, fromArray, Rng, runKernel, sum, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import '#impl/kernels/softmax-kernel.js';
import { SoftMax } from '#impl/activations/softmax.js';
import { propertyOptions } from '../helpers/property.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { softmaxReference } from '../helpers/cpu-reference.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5, row softmax: solutions/kernels/softmax.wgsl (one workgroup of 64 per row, tree
 * reductions for the maximum and the sum) against a CPU reference.
 * Handout: docs/exercises/5-webgpu.md#softmax-kernel
 */
const gpu = await webgpuForTests();
const rng = new Rng(31);
const random = (shape: number[], spread = 5): Tensor => rng.uniformTensor(shape, -spread, spread).asType('float32').asType('float64');
const TOLERANCE = 1e-5;

describeOnGpu(gpu, 'ex5 SoftmaxKernel', () => {
  describe('properties', () => {
    // Rows shorter than, equal to and longer than the 64-invocation workgroup; many rows.
    it.each([[1, 1], [4, 3], [3, 63], [2, 64], [5, 65], [2, 129], [1, 1000], [300, 10]])('%i rows of %i classes match the CPU', async (rows, classes) => {
      const x = random([rows, classes]);
      await expectGpuMatches(runKernel('softmax', [await x.to('webgpu')]), softmaxReference(x), TOLERANCE, `softmax of [${rows}, ${classes}]`);
    });

    it('rows sum to 1 and are unchanged by adding a constant, on random shapes', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 150 }), fc.double({ min: -50, max: 50, noNaN: true }), async (rows, classes, shift) => {
          const x = random([rows, classes]);
          const onGpu = await x.to('webgpu');
          const y = runKernel('softmax', [onGpu]);
          await expectGpuMatches(sum(y, -1), fromArray(new Array(rows).fill(1)), TOLERANCE, `row sums of softmax [${rows}, ${classes}]`);
          await expectGpuMatches(runKernel('softmax', [addScalar(onGpu, shift)]), await y.to('cpu'), 1e-4, `softmax(x + ${shift}) = softmax(x)`);
        }),
        { ...propertyOptions, numRuns: 20 },
      );
    });

    it('treats every leading axis as rows', async () => {
      const x = random([2, 3, 70]);
      await expectGpuMatches(runKernel('softmax', [await x.to('webgpu')]), softmaxReference(x), TOLERANCE, 'softmax of [2, 3, 70]');
    });
  });

  describe('known values', () => {
    it('the seed\'s four-class table (004: 1430–1436)', async () => {
      const x = fromArray([[-3.44, 1.16, -0.81, 3.91]]);
      const y = await runKernel('softmax', [await x.to('webgpu')]).to('cpu');
      const table = [0.0006, 0.0596, 0.0083, 0.9315]; // rounded in the seed
      table.forEach((want, k) => expect(y.data[k], `class ${k}`).toBeCloseTo(want, 3));
    });

    it('does not overflow: τ((1, 1000, 2)) ≈ (0, 1, 0) (000: 610; needs the max shift)', async () => {
      const y = await runKernel('softmax', [await fromArray([[1, 1000, 2]]).to('webgpu')]).to('cpu');
      expect(Array.from(y.data)).toEqual([0, 1, 0]);
    });
  });

  describe('gradients', () => {
    it('the SoftMax layer runs forward (this kernel) and backward (framework ops) on the GPU like on the CPU', async () => {
      const x = random([7, 5], 2);
      const dy = random([7, 5], 1);
      const onCpu = new SoftMax();
      const onGpu = new SoftMax();
      const before = gpuDispatchCount('softmax');
      await expectGpuMatches(onGpu.forward(await x.to('webgpu')), onCpu.forward(x), TOLERANCE, 'SoftMax.forward on the GPU');
      await expectGpuMatches(onGpu.backward(await dy.to('webgpu')), onCpu.backward(dy), TOLERANCE, 'SoftMax.backward on the GPU');
      expect(gpuDispatchCount('softmax')).toBe(before + 1);
    });
  });
});
