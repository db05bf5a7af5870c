import { describe, expect, it } from 'vitest';
import { fromArray, matmul, Rng, runKernel } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import '#impl/kernels/matmul.js';
import { expectGpuMatches } from '../helpers/gpu-compare.js';
import { expectMatmulMatches, MATMUL_TOLERANCE, matmulMatchesOnRandomShapes } from '../helpers/matmul-cases.js';
import { describeOnGpu, webgpuForTests } from '../helpers/webgpu.js';

/**
 * Exercise 5, step 2 of matmul: solutions/kernels/matmul-tiled.wgsl (64×64 blocks of C per
 * workgroup, 16-wide tiles of A and B in workgroup memory) against the CPU matmul.
 * Handout: docs/exercises/5-webgpu.md#matmul-tiled
 */
const gpu = await webgpuForTests();

describeOnGpu(gpu, 'ex5 TiledMatmulKernel', () => {
  describe('properties', () => {
    // Around the 16-wide tile along k and the 64×64 block of C, including a partial last tile.
    it.each([
      [1, 1, 1], [4, 4, 4], [15, 17, 13], [16, 16, 16], [63, 15, 65], [64, 64, 64], [65, 16, 64], [64, 17, 65], [130, 40, 129], [3, 200, 2],
    ])('matmulTiled with m = %i, k = %i, n = %i matches the CPU', async (m, k, n) => {
      await expectMatmulMatches('matmulTiled', m, k, n);
    });

    it('matches the CPU on random shapes', async () => {
      await matmulMatchesOnRandomShapes('matmulTiled');
    });

    it('agrees with the naive kernel', async () => {
      const rng = new Rng(4);
      const a = await rng.uniformTensor([70, 33], -1, 1).to('webgpu');
      const b = await rng.uniformTensor([33, 90], -1, 1).to('webgpu');
      await expectGpuMatches(runKernel('matmulTiled', [a, b]), await runKernel('matmulNaive', [a, b]).to('cpu'), MATMUL_TOLERANCE, 'tiled against naive');
    });
  });

  describe('known values', () => {
    it('the identity leaves a 65×65 matrix unchanged (a block and one more row and column)', async () => {
      const n = 65;
      const identity = fromArray(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));
      const x = new Rng(8).uniformTensor([n, n], -1, 1).asType('float32').asType('float64');
      await expectGpuMatches(runKernel('matmulTiled', [await x.to('webgpu'), await identity.to('webgpu')]), x, 0, 'X·I');
      await expectGpuMatches(runKernel('matmulTiled', [await identity.to('webgpu'), await x.to('webgpu')]), x, 0, 'I·X');
    });
  });

  it('is what matmul(a, b) (and so FullyConnected) runs on the GPU once it is written', async () => {
    const a = await fromArray([[1, 2]]).to('webgpu');
    const b = await fromArray([[3], [4]]).to('webgpu');
    const before = gpuDispatchCount('matmulTiled');
    await expectGpuMatches(matmul(a, b), fromArray([[11]]), 0, 'matmul on the GPU');
    expect(gpuDispatchCount('matmulTiled')).toBe(before + 1);
  });
});
