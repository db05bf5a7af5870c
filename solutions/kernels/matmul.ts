import { registerKernel } from '../../framework/backend/kernel-registry.js';
import type { KernelFunction } from '../../framework/backend/kernels.js';
import { ShapeError } from '../../framework/errors.js';
import { formatShape } from '../../framework/tensor/shape.js';
import {
  dispatch,
  emptyGpuTensor,
  isStub,
  loadWgslKernel,
  workgroupsFor,
  type WgslKernel,
} from '../../framework/webgpu/index.js';

/**
 * Matrix product on WebGPU, C [m, n] = A [m, k] · B [k, n]. Registers three kernels for 'webgpu':
 *   'matmulNaive'  one invocation per element of C (matmul-naive.wgsl), 16×16 per workgroup;
 *   'matmulTiled'  a 64×64 block of C per workgroup, tiles in workgroup memory (matmul-tiled.wgsl);
 *   'matmul'       what `matmul(a, b)` and so FullyConnected use: the tiled kernel once it is
 *                  written, the naive one until then (so step 1 of the exercise already runs layers).
 * The CPU oracle is framework/ops/cpu/matmul.ts (matmulNaive).
 *
 * Handout: docs/exercises/5-webgpu.md#matmul-naive and #matmul-tiled
 */
export const matmulNaiveKernel = loadWgslKernel(new URL('./matmul-naive.wgsl', import.meta.url), {
  name: 'matmulNaive',
  bindings: ['read', 'read', 'write', 'uniform'],
});

export const matmulTiledKernel = loadWgslKernel(new URL('./matmul-tiled.wgsl', import.meta.url), {
  name: 'matmulTiled',
  bindings: ['read', 'read', 'write', 'uniform'],
});

/** Elements of C per workgroup along each axis; must match the .wgsl files. */
const NAIVE_BLOCK = 16;
const TILED_BLOCK = 64;

function matmulWith(kernel: WgslKernel, block: number): KernelFunction<'matmul' | 'matmulNaive' | 'matmulTiled'> {
  return ([a, b]) => {
    if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
      throw new ShapeError(
        `${kernel.name} expected A [m, k] and B [k, n], got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
      );
    }
    const [m, k] = a.shape;
    const n = b.shape[1];
    const c = emptyGpuTensor([m, n]);
    dispatch(kernel, {
      buffers: [a, b, c],
      params: [{ u32: m }, { u32: k }, { u32: n }],
      // x runs along the columns of C, y along its rows.
      workgroups: [workgroupsFor(n, block), workgroupsFor(m, block)],
    });
    return c;
  };
}

const naive = matmulWith(matmulNaiveKernel, NAIVE_BLOCK);
const tiled = matmulWith(matmulTiledKernel, TILED_BLOCK);

registerKernel('matmulNaive', 'webgpu', naive);
registerKernel('matmulTiled', 'webgpu', tiled);
registerKernel('matmul', 'webgpu', (inputs, attributes) =>
  (isStub(matmulTiledKernel) ? naive : tiled)(inputs, attributes),
);
