import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, runKernel, ShapeError, type NestedArray, type Rng, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount, workgroupsFor, type WgslKernel } from '../../framework/webgpu/index.js';
import {
  badInput,
  drawSamples,
  expectError,
  intIn,
  property,
  tensorData,
  thrown,
  type Check,
  type ErrorData,
  type TensorData,
} from '../harness/index.js';
import { matmulOf } from './cpu-reference.js';
import { expectGpuResult, expectPaddedResult } from './gpu-compare.js';
import {
  f32Tensor,
  gpuResult,
  gridTensor,
  paddedDispatch,
  toGpu,
  type GpuTensorData,
  type PaddedData,
} from './gpu-data.js';

/**
 * Checks shared by the two matmul kernels of Exercise 5 ('matmulNaive', 'matmulTiled'): the kernel
 * named `name` against C = A·B recomputed in verify (float64) from the A and B that came back.
 * float32 sums of k products of values in [−1, 1] differ from float64 by about k·6e-8.
 */
/** The two WGSL matmul kernels of Exercise 5 (each also names its WGSL kernel in the dispatch counter). */
export type MatmulKernelName = 'matmulNaive' | 'matmulTiled';

export const MATMUL_TOLERANCE = 1e-4;

/** A product on the GPU, with its inputs and the number of times the kernel was dispatched. */
export interface ProductData {
  readonly a: TensorData;
  readonly b: TensorData;
  readonly c: GpuTensorData;
  readonly dispatches: number;
}

export async function productOnGpu(name: MatmulKernelName, a: Tensor, b: Tensor): Promise<ProductData> {
  const [as, bs] = await toGpu(a, b);
  const before = gpuDispatchCount(name);
  const c = runKernel(name, [as, bs]);
  const dispatches = gpuDispatchCount(name) - before;
  return {
    a: tensorData(a, 'A'),
    b: tensorData(b, 'B'),
    c: await gpuResult(c, `the '${name}' WebGPU kernel`),
    dispatches,
  };
}

/** A·B of random values in [−1, 1] (exact in float32). */
export function randomProduct(name: MatmulKernelName, rng: Rng, m: number, k: number, n: number): Promise<ProductData> {
  return productOnGpu(name, f32Tensor(rng, [m, k], -1, 1), f32Tensor(rng, [k, n], -1, 1));
}

export function verifyProduct(
  name: MatmulKernelName,
  { a, b, c, dispatches }: ProductData,
  tolerance = MATMUL_TOLERANCE,
  what = '',
): void {
  const [m, k] = a.shape;
  const n = b.shape[1];
  expect(dispatches, `${name} should dispatch its WGSL kernel once per call`).toBe(1);
  expectGpuResult(
    c,
    matmulOf(a, b),
    tolerance,
    `${name} of [${m}, ${k}]·[${k}, ${n}]${what}: C[row, col] = Σ_p A[row·k + p]·B[p·n + col]`,
  );
}

/** A known product against the hand-computed C (exact). */
export function verifyKnownProduct(
  name: MatmulKernelName,
  { a, b, c, dispatches }: ProductData,
  expected: readonly (readonly number[])[],
  what = '',
): void {
  expect(dispatches, `${name} should dispatch its WGSL kernel once per call`).toBe(1);
  const want = { shape: [expected.length, expected[0].length], data: expected.flat() };
  expectGpuResult(c, want, 0, `${name} of ${JSON.stringify(nested(a))}·${JSON.stringify(nested(b))}${what}`);
}

function nested({ shape, data }: TensorData): number[][] {
  return Array.from({ length: shape[0] }, (_, row) => data.slice(row * shape[1], (row + 1) * shape[1]));
}

/** One check per shape: A [m, k] · B [k, n] against the definition. */
export function productChecks(name: MatmulKernelName, shapes: readonly (readonly [number, number, number])[]): Check[] {
  return shapes.map(([m, k, n]) =>
    property({
      title: `${name} with m = ${m}, k = ${k}, n = ${n} matches the CPU`,
      run: (rng) => randomProduct(name, rng, m, k, n),
      verify: (data) => verifyProduct(name, data),
    }),
  );
}

/** Random shapes up to `side` on each side: off every workgroup multiple most of the time. */
export function randomShapesCheck(name: MatmulKernelName, side: number, count: number): Check {
  return property({
    title: `matches the CPU on random shapes up to ${side} on a side`,
    run: async (rng) => {
      const dimension = fc.integer({ min: 1, max: side });
      const samples = [];
      for (const [m, k, n] of drawSamples(fc.tuple(dimension, dimension, dimension), rng, count))
        samples.push(await randomProduct(name, rng, m, k, n));
      return samples;
    },
    verify: (samples) =>
      samples.forEach((sample, i) => {
        verifyProduct(name, sample, MATMUL_TOLERANCE, ` (sample ${i})`);
      }),
    hiddenRerun: true,
    matchReference: MATMUL_TOLERANCE,
  });
}

/** A row times a matrix, a matrix times a column, and an inner size of 1 (an outer product). */
export function thinProductsCheck(name: MatmulKernelName): Check {
  return property({
    title: 'thin products: a row times a matrix, a matrix times a column, inner size 1',
    run: async (rng) => [
      await randomProduct(name, rng, 1, intIn(rng, 20, 200), intIn(rng, 17, 40)),
      await randomProduct(name, rng, intIn(rng, 17, 40), intIn(rng, 20, 200), 1),
      await randomProduct(name, rng, intIn(rng, 2, 40), 1, intIn(rng, 2, 40)),
    ],
    verify: ([row, column, outer]) => {
      verifyProduct(name, row, MATMUL_TOLERANCE, ' (a row times a matrix)');
      verifyProduct(name, column, MATMUL_TOLERANCE, ' (a matrix times a column)');
      verifyProduct(name, outer, MATMUL_TOLERANCE, ' (inner size 1: an outer product)');
    },
    hiddenRerun: true,
    matchReference: MATMUL_TOLERANCE,
  });
}

/** Known products, exact: the inputs are small integers. */
export async function knownProduct(name: MatmulKernelName, a: NestedArray, b: NestedArray): Promise<ProductData> {
  return productOnGpu(name, fromArray(a), fromArray(b));
}

/** A known product by hand: A, B and C = A·B. */
export interface HandProduct {
  readonly a: number[][];
  readonly b: number[][];
  readonly c: number[][];
}

/** [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[19, 22], [43, 50]]: a row and column swap or a wrong stride shows. */
export const SQUARE_PRODUCT: HandProduct = {
  a: [
    [1, 2],
    [3, 4],
  ],
  b: [
    [5, 6],
    [7, 8],
  ],
  c: [
    [19, 22],
    [43, 50],
  ],
};

/** A column times a row, [[4], [5], [6]]·[[1, 2, 3]]: the outer product (inner size 1, C not square). */
export const OUTER_PRODUCT: HandProduct = {
  a: [[4], [5], [6]],
  b: [[1, 2, 3]],
  c: [
    [4, 8, 12],
    [5, 10, 15],
    [6, 12, 18],
  ],
};

/** Run side of a hand product: `product`'s A and B through the kernel named `name`. */
export function handProduct(name: MatmulKernelName, product: HandProduct): Promise<ProductData> {
  return knownProduct(name, product.a, product.b);
}

/** Verify side: C against `product`'s hand-computed C, exactly (`what` says what to look at). */
export function verifyHandProduct(name: MatmulKernelName, data: ProductData, product: HandProduct, what = ''): void {
  verifyKnownProduct(name, data, product.c, what);
}

export interface PaddedProductData {
  readonly a: TensorData;
  readonly b: TensorData;
  readonly c: PaddedData;
}

/**
 * The kernel dispatched as exercises/kernels/matmul.ts does (params m, k, n; `ceil(n / block)` ×
 * `ceil(m / block)` workgroups) on buffers longer than A, B and C: NaN, +∞ and −∞ after A and B, a
 * sentinel after C. Integer inputs in [−4, 4], so every float32 sum is exact: the product must be exact.
 */
export function paddedProductsCheck(
  kernel: WgslKernel,
  block: number,
  shapes: readonly (readonly [number, number, number])[],
  title: string,
  weight = 1,
): Check {
  return property({
    title,
    weight,
    run: async (rng) => {
      const samples: PaddedProductData[] = [];
      for (const [m, k, n] of shapes) {
        const a = gridTensor(rng, [m, k], -4, 4);
        const b = gridTensor(rng, [k, n], -4, 4);
        const c = await paddedDispatch(
          kernel,
          [a, b],
          m * n,
          [{ u32: m }, { u32: k }, { u32: n }],
          [workgroupsFor(n, block), workgroupsFor(m, block)],
        );
        samples.push({ a: tensorData(a, 'A'), b: tensorData(b, 'B'), c });
      }
      return samples;
    },
    verify: (samples) =>
      samples.forEach(({ a, b, c }) => {
        const [m, k] = a.shape;
        const n = b.shape[1];
        expectPaddedResult(
          c,
          matmulOf(a, b),
          0,
          `${kernel.file}, A [${m}, ${k}]·B [${k}, ${n}] of integers (exact in float32)`,
        );
      }),
  });
}

/** Shapes that do not chain are refused (given code), after a valid call so that a stub fails. */
export async function refusesNonChaining(
  name: MatmulKernelName,
): Promise<{ valid: ProductData; error: ErrorData | null; dispatched: number }> {
  const valid = await handProduct(name, SQUARE_PRODUCT);
  const [a, b] = await toGpu(fromArray(SQUARE_PRODUCT.a), fromArray([[1, 2, 3, 4]]));
  const before = gpuDispatchCount(name);
  const error = thrown(() => runKernel(name, [a, b]));
  return { valid, error, dispatched: gpuDispatchCount(name) - before };
}

export function verifyRefusal(
  name: MatmulKernelName,
  { valid, error, dispatched }: Awaited<ReturnType<typeof refusesNonChaining>>,
): void {
  verifyHandProduct(name, valid, SQUARE_PRODUCT);
  expectError(error, ShapeError.name, `${name} of [2, 2]·[1, 4]`);
  expect(dispatched, `${name} should refuse [2, 2]·[1, 4] before dispatching anything`).toBe(0);
}

/** The badInput check both kernels share: shapes that do not chain are refused before any dispatch. */
export function nonChainingCheck(name: MatmulKernelName): Check {
  return badInput({
    title: 'shapes that do not chain are refused before anything is dispatched',
    run: () => refusesNonChaining(name),
    verify: (data) => verifyRefusal(name, data),
  });
}
