import fc from 'fast-check';
import { expect } from 'vitest';
import { matmul, Rng, runKernel, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { propertyOptions } from './property.js';
import { expectGpuMatches } from './gpu-compare.js';

/**
 * Shared checks for the two matmul kernels (naive and tiled): the kernel named `name` against the
 * CPU matmul in float64. float32 sums of k products of values in [−1, 1] are off by about k·6e-8.
 */
export const MATMUL_TOLERANCE = 1e-4;

const rng = new Rng(23);
const random = (shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');

export async function expectMatmulMatches(name: string, m: number, k: number, n: number): Promise<void> {
  const a = random([m, k]);
  const b = random([k, n]);
  const before = gpuDispatchCount(name);
  const c = runKernel(name, [await a.to('webgpu'), await b.to('webgpu')]);
  expect(gpuDispatchCount(name), `${name} should dispatch its WGSL kernel once`).toBe(before + 1);
  await expectGpuMatches(c, matmul(a, b), MATMUL_TOLERANCE, `${name} of [${m}, ${k}]·[${k}, ${n}]`);
}

/** Random shapes up to 90 on each side: off every workgroup multiple most of the time. */
export async function matmulMatchesOnRandomShapes(name: string): Promise<void> {
  const side = fc.integer({ min: 1, max: 90 });
  await fc.assert(
    fc.asyncProperty(side, side, side, async (m, k, n) => expectMatmulMatches(name, m, k, n)),
    { ...propertyOptions, numRuns: 20 },
  );
}
