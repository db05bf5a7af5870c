import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, Rng, runKernel, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import '#impl/kernels/relu-kernels.js';
import { ReLU } from '#impl/activations/relu.js';
import { propertyOptions } from '../helpers/property.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { reluBackwardReference, reluReference } from '../helpers/cpu-reference.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5, element-wise kernels: solutions/kernels/relu.wgsl and relu-backward.wgsl against a
 * CPU reference. ReLU is exact in float32 (it copies or zeroes), so the tolerance is 0.
 * Handout: docs/exercises/5-webgpu.md#elementwise-kernels
 */
const gpu = await webgpuForTests();
const rng = new Rng(11);
/** Values float32 holds exactly, so the CPU and the GPU start from the same numbers. */
const random = (shape: number[]): Tensor => rng.uniformTensor(shape, -2, 2).asType('float32').asType('float64');
const upload = (t: Tensor): Promise<Tensor> => t.to('webgpu');

describeOnGpu(gpu, 'ex5 ElementwiseKernels', () => {
  describe('properties', () => {
    // Below, at and just past one workgroup of 256, and several workgroups plus a remainder.
    it.each([1, 7, 255, 256, 257, 513, 3000])('relu and reluBackward match the CPU on %i elements', async (n) => {
      const x = random([n]);
      const dy = random([n]);
      await expectGpuMatches(runKernel('relu', [await upload(x)]), reluReference(x), 0, `relu on ${n} elements`);
      await expectGpuMatches(runKernel('reluBackward', [await upload(x), await upload(dy)]), reluBackwardReference(x, dy), 0, `reluBackward on ${n} elements`);
    });

    it('match the CPU on random shapes', async () => {
      const shapes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });
      await fc.assert(
        fc.asyncProperty(shapes, async (shape) => {
          const x = random(shape);
          const dy = random(shape);
          await expectGpuMatches(runKernel('relu', [await upload(x)]), reluReference(x), 0, `relu on ${JSON.stringify(shape)}`);
          await expectGpuMatches(runKernel('reluBackward', [await upload(x), await upload(dy)]), reluBackwardReference(x, dy), 0, `reluBackward on ${JSON.stringify(shape)}`);
        }),
        { ...propertyOptions, numRuns: 30 },
      );
    });

    it('write every element: a tensor of 300 positive values comes back whole', async () => {
      const x = fromArray(Array.from({ length: 300 }, (_, i) => i + 1));
      const y = await runKernel('relu', [await upload(x)]).to('cpu');
      expect(Array.from(y.data)).toEqual(Array.from(x.data));
    });
  });

  describe('known values', () => {
    it('relu zeroes negatives and zero, keeps positives (derivative 0 at 0, seed 004: 2806)', async () => {
      const x = fromArray([[-2, -0.5, 0, 0.5, 3]]);
      await expectGpuMatches(runKernel('relu', [await upload(x)]), fromArray([[0, 0, 0, 0.5, 3]]), 0, 'relu known values');
      const dy = fromArray([[10, 20, 30, 40, 50]]);
      await expectGpuMatches(runKernel('reluBackward', [await upload(x), await upload(dy)]), fromArray([[0, 0, 0, 40, 50]]), 0, 'reluBackward known values');
    });
  });

  describe('gradients', () => {
    it('the ReLU layer runs forward and backward on the GPU and agrees with the CPU layer', async () => {
      const x = random([6, 5]);
      const dy = random([6, 5]);
      const onCpu = new ReLU();
      const onGpu = new ReLU();
      const forwardBefore = gpuDispatchCount('relu');
      const backwardBefore = gpuDispatchCount('reluBackward');
      await expectGpuMatches(onGpu.forward(await upload(x)), onCpu.forward(x), 0, 'ReLU.forward on the GPU');
      await expectGpuMatches(onGpu.backward(await upload(dy)), onCpu.backward(dy), 0, 'ReLU.backward on the GPU');
      expect(gpuDispatchCount('relu'), 'ReLU.forward should dispatch the WGSL kernel once').toBe(forwardBefore + 1);
      expect(gpuDispatchCount('reluBackward'), 'ReLU.backward should dispatch the WGSL kernel once').toBe(backwardBefore + 1);
    });
  });
});
