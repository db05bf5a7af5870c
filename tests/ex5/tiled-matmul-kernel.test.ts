import { expect } from 'vitest';
import { fromArray, matmul, Rng, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { matmulTiledKernel } from '#impl/kernels/matmul.js';
import { componentChecks, intIn, knownValue, property } from '../harness/index.js';
import { expectGpuResult } from '../helpers/gpu-compare.js';
import { f32Tensor, gpuResult, toGpu } from '../helpers/gpu-data.js';
import {
  handProduct,
  nonChainingCheck,
  OUTER_PRODUCT,
  paddedProductsCheck,
  productChecks,
  productOnGpu,
  randomProduct,
  randomShapesCheck,
  SQUARE_PRODUCT,
  thinProductsCheck,
  verifyHandProduct,
  verifyProduct,
} from '../helpers/matmul-cases.js';

/**
 * Exercise 5, step 2 of matmul: solutions/kernels/matmul-tiled.wgsl (64×64 blocks of C per
 * workgroup, 16-wide tiles of A and B in workgroup memory) against C = A·B recomputed in verify.
 * Sizes off the tile and the block need guarded loads (zeros past the edge) and a guarded store; k
 * past one tile needs both barriers.
 * Handout: docs/exercises/5-webgpu.md#matmul-tiled
 */
const NAME = 'matmulTiled';
const BLOCK = 64; // elements of C per workgroup along each axis (exercises/kernels/matmul.ts)

const identity = (n: number): Tensor =>
  fromArray(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))));

export default componentChecks(
  'ex5',
  'TiledMatmulKernel',
  [
    // Around the 16-wide tile along k and the 64×64 block of C, including a partial last tile.
    ...productChecks(NAME, [
      [1, 1, 1],
      [4, 4, 4],
      [15, 17, 13],
      [16, 16, 16],
      [63, 15, 65],
      [64, 64, 64],
      [65, 16, 64],
      [64, 17, 65],
      [130, 40, 129],
      [3, 200, 2],
    ]),
    randomShapesCheck(NAME, 150, 12),
    property({
      title: '70×33 · 33×90: several tiles along k and two blocks each way',
      // Checked against the naive kernel before; against the definition now (no other kernel involved).
      run: (rng) => randomProduct(NAME, rng, 70, 33, 90),
      verify: (data) => verifyProduct(NAME, data),
    }),
    property({
      title: 'a product whose sizes are all multiples of the 64×64 block',
      run: (rng) =>
        randomProduct(NAME, rng, BLOCK * intIn(rng, 1, 2), BLOCK * intIn(rng, 1, 3), BLOCK * intIn(rng, 1, 2)),
      verify: (data) => verifyProduct(NAME, data),
      hiddenRerun: true,
      matchReference: 1e-4,
    }),
    thinProductsCheck(NAME),
    paddedProductsCheck(
      matmulTiledKernel,
      BLOCK,
      [
        [1, 1, 1],
        [1, 33, 1],
        [17, 40, 5],
        [65, 17, 66],
        [63, 1, 130],
        [5, 100, 70],
      ],
      'NaN and ±∞ past A and B, sizes off the tile: still the exact product, and nothing written past C (guard the loads and the store)',
      2,
    ),
    knownValue({
      title: 'the identity leaves a 65×65 matrix unchanged (a block and one more row and column)',
      run: async () => {
        const x = f32Tensor(new Rng(8), [65, 65], -1, 1);
        return { right: await productOnGpu(NAME, x, identity(65)), left: await productOnGpu(NAME, identity(65), x) };
      },
      verify: ({ right, left }) => {
        expectGpuResult(right.c, right.a, 0, 'X·I (65×65) must be X exactly');
        expectGpuResult(left.c, left.b, 0, 'I·X (65×65) must be X exactly');
      },
    }),
    knownValue({
      title: '[[1, 2], [3, 4]]·[[5, 6], [7, 8]] and a column times a row',
      run: async () => ({
        square: await handProduct(NAME, SQUARE_PRODUCT),
        outer: await handProduct(NAME, OUTER_PRODUCT),
      }),
      verify: ({ square, outer }) => {
        verifyHandProduct(NAME, square, SQUARE_PRODUCT);
        verifyHandProduct(NAME, outer, OUTER_PRODUCT, ' (an outer product)');
      },
    }),
    knownValue({
      title:
        'is what matmul(a, b) (and so FullyConnected) runs on the GPU once it is written: [[1, 2]]·[[3], [4]] = [[11]]',
      run: async () => {
        const [a, b] = await toGpu(fromArray([[1, 2]]), fromArray([[3], [4]]));
        const before = gpuDispatchCount(NAME);
        const c = matmul(a, b);
        const dispatches = gpuDispatchCount(NAME) - before;
        return { c: await gpuResult(c, 'matmul on the GPU'), dispatches };
      },
      verify: ({ c, dispatches }) => {
        expect(
          dispatches,
          'matmul(a, b) on the GPU should dispatch matmul-tiled.wgsl once (it uses the naive kernel only while the tiled one is a stub)',
        ).toBe(1);
        expectGpuResult(c, { shape: [1, 1], data: [11] }, 0, 'matmul([[1, 2]], [[3], [4]]) on the GPU');
      },
    }),
    nonChainingCheck(NAME),
  ],
  { webgpu: true },
);
