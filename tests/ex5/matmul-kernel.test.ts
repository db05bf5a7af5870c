import { describe, expect, it } from 'vitest';
import { fromArray, runKernel, ShapeError } from '../../framework/index.js';
import '#impl/kernels/matmul.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { expectMatmulMatches, matmulMatchesOnRandomShapes } from '../helpers/matmul-cases.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5, step 1 of matmul: solutions/kernels/matmul-naive.wgsl (one invocation per element of
 * C, 16×16 per workgroup) against the CPU matmul.
 * Handout: docs/exercises/5-webgpu.md#matmul-naive
 */
const gpu = await webgpuForTests();

describeOnGpu(gpu, 'ex5 MatmulKernel', () => {
  describe('properties', () => {
    // Below, at and past the 16×16 workgroup, and long k.
    it.each([
      [1, 1, 1], [3, 5, 2], [15, 7, 15], [16, 16, 16], [17, 16, 17], [32, 33, 31], [5, 300, 3], [70, 20, 90],
    ])('matmulNaive with m = %i, k = %i, n = %i matches the CPU', async (m, k, n) => {
      await expectMatmulMatches('matmulNaive', m, k, n);
    });

    it('matches the CPU on random shapes', async () => {
      await matmulMatchesOnRandomShapes('matmulNaive');
    });
  });

  describe('known values', () => {
    it('[[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]]', async () => {
      const a = await fromArray([[1, 2], [3, 4]]).to('webgpu');
      const b = await fromArray([[5, 6], [7, 8]]).to('webgpu');
      await expectGpuMatches(runKernel('matmulNaive', [a, b]), fromArray([[19, 22], [43, 50]]), 0, 'matmulNaive 2×2');
      // and shapes that do not chain are refused before anything is dispatched
      expect(() => runKernel('matmulNaive', [a, b.reshape([1, 4])])).toThrow(ShapeError);
    });

    it('a row times a column is their dot product; a column times a row is the outer product', async () => {
      const row = await fromArray([[1, 2, 3]]).to('webgpu');
      const column = await fromArray([[4], [5], [6]]).to('webgpu');
      await expectGpuMatches(runKernel('matmulNaive', [row, column]), fromArray([[32]]), 0, 'dot product');
      await expectGpuMatches(runKernel('matmulNaive', [column, row]), fromArray([[4, 8, 12], [5, 10, 15], [6, 12, 18]]), 0, 'outer product');
    });
  });
});
