import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, runKernel, ShapeError, type Rng, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount, workgroupsFor } from '../../framework/webgpu/index.js';
import { maxPool2dKernel } from '#impl/kernels/max-pool2d.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectError,
  intIn,
  knownValue,
  property,
  tensorData,
  thrown,
} from '../harness/index.js';
import { maxPool2dOf } from '../helpers/cpu-reference.js';
import { expectGpuResult, expectPaddedResult } from '../helpers/gpu-compare.js';
import { f32Tensor, gpuResult, paddedDispatch } from '../helpers/gpu-data.js';

/**
 * Exercise 5, max-pool forward: solutions/kernels/max-pool2d.wgsl against the definition recomputed
 * in verify, with Exercise 2's contract (attributes kernel [ph, pw], stride [sh, sw], 'valid').
 * Exact: max copies one of its inputs.
 * Handout: docs/exercises/5-webgpu.md#maxpool-kernel
 */
const WORKGROUP = 256; // @workgroup_size in max-pool2d.wgsl

type Pair = [number, number];

const random = (rng: Rng, shape: number[]): Tensor => f32Tensor(rng, shape, -3, 3);

/** maxPool2d on the GPU, with its input, geometry and the number of dispatches. */
async function poolOnGpu(x: Tensor, kernel: Pair, stride: Pair) {
  const input = await x.to('webgpu');
  const before = gpuDispatchCount('maxPool2d');
  const y = runKernel('maxPool2d', [input], { kernel, stride });
  const dispatches = gpuDispatchCount('maxPool2d') - before;
  return { x: tensorData(x, 'x'), kernel, stride, y: await gpuResult(y, "the 'maxPool2d' WebGPU kernel"), dispatches };
}

type Pooled = Awaited<ReturnType<typeof poolOnGpu>>;

function verifyPool({ x, kernel, stride, y, dispatches }: Pooled, what = ''): void {
  expect(dispatches, "runKernel('maxPool2d') on the GPU should dispatch max-pool2d.wgsl exactly once").toBe(1);
  expectGpuResult(
    y,
    maxPool2dOf(x, kernel, stride),
    0,
    `maxPool2d of [${x.shape.join(', ')}], window [${kernel.join(', ')}], stride [${stride.join(', ')}]${what}: y[b, c, i, j] = max over m, n of x[b, c, i·sh + m, j·sw + n]`,
  );
}

/** A window that fits the image, and a stride, drawn from `rng`. */
function randomPool(rng: Rng, shape: number[]): Promise<Pooled> {
  const kernel: Pair = [intIn(rng, 1, Math.min(4, shape[2])), intIn(rng, 1, Math.min(4, shape[3]))];
  const stride: Pair = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
  return poolOnGpu(random(rng, shape), kernel, stride);
}

const randomShape = fc.tuple(
  fc.integer({ min: 1, max: 3 }),
  fc.integer({ min: 1, max: 6 }),
  fc.integer({ min: 1, max: 24 }),
  fc.integer({ min: 1, max: 24 }),
);

export default componentChecks(
  'ex5',
  'MaxPoolKernel',
  [
    // Outputs below, at and past the 256-invocation workgroup; overlapping and ragged windows.
    ...(
      [
        [
          [1, 1, 2, 2],
          [2, 2],
          [2, 2],
        ],
        [
          [2, 3, 8, 8],
          [2, 2],
          [2, 2],
        ],
        [
          [1, 4, 32, 32],
          [2, 2],
          [2, 2],
        ], // exactly 256 outputs
        [
          [1, 1, 35, 31],
          [3, 3],
          [2, 2],
        ], // overlapping windows, a ragged border
        [
          [3, 2, 9, 12],
          [3, 2],
          [1, 3],
        ],
        [
          [2, 16, 17, 17],
          [2, 2],
          [2, 2],
        ], // 2048 outputs
      ] satisfies Array<[number[], Pair, Pair]>
    ).map(([shape, kernel, stride]) =>
      property({
        title: `matches the CPU for [${shape.join(', ')}], window [${kernel.join(', ')}], stride [${stride.join(', ')}]`,
        run: (rng) => poolOnGpu(random(rng, shape), kernel, stride),
        verify: (data) => verifyPool(data),
      }),
    ),
    property({
      title: 'matches the CPU on random geometries: windows up to 4×4, strides up to 3, ragged borders',
      run: async (rng) => {
        const samples = [];
        for (const shape of drawSamples(randomShape, rng, 25)) samples.push(await randomPool(rng, shape));
        return samples;
      },
      verify: (samples) =>
        samples.forEach((sample, i) => {
          verifyPool(sample, ` (sample ${i})`);
        }),
      hiddenRerun: true,
      matchReference: 'exact',
    }),
    property({
      title: 'several workgroups of outputs with 2×2 windows',
      run: (rng) =>
        poolOnGpu(
          random(rng, [intIn(rng, 2, 4), intIn(rng, 8, 16), 2 * intIn(rng, 8, 16), 2 * intIn(rng, 8, 16)]),
          [2, 2],
          [2, 2],
        ),
      verify: (data) => verifyPool(data),
      hiddenRerun: true,
      matchReference: 'exact',
    }),
    property({
      title: 'reads only x and writes only y: NaN and ±∞ past the input, a sentinel past the output',
      // Dispatched as exercises/kernels/max-pool2d.ts does: 9 params, ceil(outputs / 256) workgroups.
      run: async (rng) => {
        const samples = [];
        for (const [shape, kernel, stride] of [
          [
            [1, 1, 2, 2],
            [2, 2],
            [2, 2],
          ],
          [
            [2, 3, 9, 7],
            [3, 2],
            [2, 3],
          ],
          [
            [1, 5, 17, 17],
            [2, 2],
            [2, 2],
          ],
        ] satisfies Array<[number[], Pair, Pair]>) {
          const x = random(rng, shape);
          const [batch, channels, height, width] = shape;
          const outHeight = Math.floor((height - kernel[0]) / stride[0]) + 1;
          const outWidth = Math.floor((width - kernel[1]) / stride[1]) + 1;
          const size = batch * channels * outHeight * outWidth;
          const params = [
            batch * channels,
            height,
            width,
            kernel[0],
            kernel[1],
            stride[0],
            stride[1],
            outHeight,
            outWidth,
          ].map((u32) => ({ u32 }));
          samples.push({
            x: tensorData(x, 'x'),
            kernel,
            stride,
            y: await paddedDispatch(maxPool2dKernel, [x], size, params, [workgroupsFor(size, WORKGROUP)]),
          });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ x, kernel, stride, y }) => {
          const want = maxPool2dOf(x, kernel, stride);
          expectPaddedResult(
            y,
            want,
            0,
            `max-pool2d.wgsl on [${x.shape.join(', ')}], window [${kernel.join(', ')}], stride [${stride.join(', ')}] (guard index < B·C·OH·OW)`,
          );
        }),
    }),
    knownValue({
      title: '2×2 windows with stride 2 keep the largest of each block, negatives included',
      run: () =>
        poolOnGpu(
          fromArray([
            [1, 3, -1, -5],
            [2, 0, -2, -3],
            [7, 6, 0, 0],
            [5, 8, 0, -1],
          ]).reshape([1, 1, 4, 4]),
          [2, 2],
          [2, 2],
        ),
      verify: ({ y }) => expectGpuResult(y, { shape: [1, 1, 2, 2], data: [3, -1, 8, 0] }, 0, 'max-pool 4×4 → 2×2'),
    }),
    knownValue({
      title: 'a 4×4 image in 2×2 windows, stride 2: one maximum in each corner of its window',
      run: () =>
        poolOnGpu(
          fromArray([
            [1, 2, 5, 6],
            [3, 4, 7, 8],
            [-1, -2, 0, 9],
            [-3, -4, 1, -9],
          ]).reshape([1, 1, 4, 4]),
          [2, 2],
          [2, 2],
        ),
      verify: ({ y }) =>
        expectGpuResult(
          y,
          { shape: [1, 1, 2, 2], data: [4, 8, -1, 9] },
          0,
          'max-pool 4×4 → 2×2 (check the row stride is the input width)',
        ),
    }),
    knownValue({
      title: 'an image of negative values only: each window keeps its (negative) maximum, two channels apart',
      // A maximum that starts at 0 instead of the lowest float returns 0 here.
      run: () =>
        poolOnGpu(
          fromArray([
            [
              [
                [-4, -3, -9],
                [-2, -8, -7],
              ],
              [
                [-1, -6, -5],
                [-9, -9, -2],
              ],
            ],
          ]),
          [2, 2],
          [1, 1],
        ),
      verify: ({ y }) =>
        expectGpuResult(
          y,
          { shape: [1, 2, 1, 2], data: [-2, -3, -1, -2] },
          0,
          'max-pool of negative values (start the maximum at the lowest float, not 0; one plane per channel)',
        ),
    }),
    badInput({
      title: 'refuses a window larger than the image (given code, after a valid call)',
      run: async () => {
        const valid = await poolOnGpu(
          fromArray([
            [1, 2],
            [3, 4],
          ]).reshape([1, 1, 2, 2]),
          [2, 2],
          [2, 2],
        );
        const x = await fromArray([
          [1, 2],
          [3, 4],
        ])
          .reshape([1, 1, 2, 2])
          .to('webgpu');
        return { valid, error: thrown(() => runKernel('maxPool2d', [x], { kernel: [3, 3], stride: [1, 1] })) };
      },
      verify: ({ valid, error }) => {
        expectGpuResult(valid.y, { shape: [1, 1, 1, 1], data: [4] }, 0, 'max-pool of [[1, 2], [3, 4]]');
        expectError(error, ShapeError.name, 'maxPool2d of a 2×2 image with a 3×3 window');
      },
    }),
  ],
  { webgpu: true },
);
