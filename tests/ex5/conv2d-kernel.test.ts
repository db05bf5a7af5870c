import fc from 'fast-check';
import { expect } from 'vitest';
import {
  fromArray,
  runKernel,
  ShapeError,
  tensor,
  type Conv2dAttributes,
  type Rng,
  type Tensor,
} from '../../framework/index.js';
import { gpuDispatchCount, workgroupsFor } from '../../framework/webgpu/index.js';
import { conv2dKernel } from '#impl/kernels/conv2d.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectError,
  knownValue,
  property,
  tensorData,
  thrown,
} from '../harness/index.js';
import { conv2dOf } from '../helpers/cpu-reference.js';
import { expectGpuResult, expectPaddedResult } from '../helpers/gpu-compare.js';
import { f32Tensor, gpuResult, gridTensor, paddedDispatch, toGpu } from '../helpers/gpu-data.js';

/**
 * Exercise 5, conv2d forward: solutions/kernels/conv2d.wgsl against the definition recomputed in
 * verify, with the kernel contract of Exercise 2 (inputs x, weight, bias; attributes stride,
 * padBefore, outShape). Cross-correlation: w[o, c, m, n] meets x[…, i·sh + m − pt, j·sw + n − pl].
 * Handout: docs/exercises/5-webgpu.md#conv2d-kernel
 */
const TOLERANCE = 1e-5;
const TILE = 8; // @workgroup_size(8, 8, 1) in conv2d.wgsl

interface Geometry {
  x: number[];
  kernel: [number, number];
  outChannels: number;
  stride: [number, number];
  padding: 'same' | 'valid';
}

/** Output size and padding before, as DESIGN §3 fixes them (Exercise 2's convAxisGeometry). */
function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { out: number; before: number } {
  return padding === 'valid'
    ? { out: Math.floor((n - k) / s) + 1, before: 0 }
    : { out: Math.ceil(n / s), before: Math.floor((k - 1) / 2) };
}

function attributesOf({ x, kernel, stride, padding }: Geometry): Conv2dAttributes {
  const rows = axis(x[2], kernel[0], stride[0], padding);
  const columns = axis(x[3], kernel[1], stride[1], padding);
  return { stride, padBefore: [rows.before, columns.before], outShape: [rows.out, columns.out] };
}

/** conv2d on the GPU with its inputs, attributes and the number of dispatches. */
async function convOnGpu(x: Tensor, weight: Tensor, bias: Tensor, attributes: Conv2dAttributes) {
  const [gx, gw, gb] = await toGpu(x, weight, bias);
  const before = gpuDispatchCount('conv2d');
  const y = runKernel('conv2d', [gx, gw, gb], attributes);
  const dispatches = gpuDispatchCount('conv2d') - before;
  return {
    x: tensorData(x, 'x'),
    weight: tensorData(weight, 'weight'),
    bias: tensorData(bias, 'bias'),
    attributes,
    y: await gpuResult(y, "the 'conv2d' WebGPU kernel"),
    dispatches,
  };
}

type Convolved = Awaited<ReturnType<typeof convOnGpu>>;

function randomConv(rng: Rng, geometry: Geometry): Promise<Convolved> {
  const random = (shape: number[]) => f32Tensor(rng, shape, -1, 1);
  return convOnGpu(
    random(geometry.x),
    random([geometry.outChannels, geometry.x[1], ...geometry.kernel]),
    random([geometry.outChannels]),
    attributesOf(geometry),
  );
}

function describeConv({ x, weight, attributes }: Convolved): string {
  return `conv2d of x [${x.shape.join(', ')}], weight [${weight.shape.join(', ')}], stride [${attributes.stride.join(', ')}], padBefore [${attributes.padBefore.join(', ')}]`;
}

function verifyConv(data: Convolved, tolerance = TOLERANCE): void {
  const { x, weight, bias, attributes, y, dispatches } = data;
  expect(dispatches, "runKernel('conv2d') on the GPU should dispatch conv2d.wgsl exactly once").toBe(1);
  const want = conv2dOf(x, weight, bias, attributes.stride, attributes.padBefore, attributes.outShape);
  expectGpuResult(
    y,
    want,
    tolerance,
    `${describeConv(data)}: y[b, o, i, j] = bias[o] + Σ x[b, c, i·sh + m − pt, j·sw + n − pl]·w[o, c, m, n] (zeros outside x)`,
  );
}

const describeGeometry = ({ x, kernel, outChannels, stride, padding }: Geometry): string =>
  `x [${x.join(', ')}], kernel [${kernel.join(', ')}], ${outChannels} out channels, stride [${stride.join(', ')}], '${padding}'`;

/** A geometry whose kernel fits the image, so that 'valid' has an output. */
const randomGeometry: fc.Arbitrary<Geometry> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    channels: fc.integer({ min: 1, max: 4 }),
    outChannels: fc.integer({ min: 1, max: 5 }),
    height: fc.integer({ min: 1, max: 20 }),
    width: fc.integer({ min: 1, max: 20 }),
    sh: fc.integer({ min: 1, max: 3 }),
    sw: fc.integer({ min: 1, max: 3 }),
    valid: fc.boolean(),
  })
  .chain((g) =>
    fc
      .record({
        kh: fc.integer({ min: 1, max: Math.min(5, g.height) }),
        kw: fc.integer({ min: 1, max: Math.min(5, g.width) }),
      })
      .map(
        ({ kh, kw }): Geometry => ({
          x: [g.batch, g.channels, g.height, g.width],
          kernel: [kh, kw],
          outChannels: g.outChannels,
          stride: [g.sh, g.sw],
          padding: g.valid ? 'valid' : 'same',
        }),
      ),
  );

export default componentChecks(
  'ex5',
  'Conv2dKernel',
  [
    // Images below, at and past the 8×8 workgroup; 'same' and 'valid'; strides; even kernels.
    ...(
      [
        { x: [1, 1, 5, 5], kernel: [3, 3], outChannels: 1, stride: [1, 1], padding: 'same' },
        { x: [2, 3, 8, 8], kernel: [3, 3], outChannels: 4, stride: [1, 1], padding: 'same' },
        { x: [2, 2, 9, 7], kernel: [3, 3], outChannels: 3, stride: [1, 1], padding: 'valid' },
        { x: [1, 3, 17, 16], kernel: [5, 4], outChannels: 2, stride: [2, 3], padding: 'same' },
        { x: [3, 1, 8, 8], kernel: [2, 2], outChannels: 5, stride: [2, 2], padding: 'valid' },
        { x: [2, 4, 1, 30], kernel: [1, 3], outChannels: 3, stride: [1, 2], padding: 'same' }, // a 1-D signal as height 1
      ] satisfies Geometry[]
    ).map((geometry) =>
      property({
        title: `matches the CPU for ${describeGeometry(geometry)}`,
        run: (rng) => randomConv(rng, geometry),
        verify: (data) => verifyConv(data),
      }),
    ),
    property({
      title:
        "matches the CPU on random geometries (images up to 20×20, kernels up to 5×5, strides up to 3, 'same' and 'valid')",
      run: async (rng) => {
        const samples = [];
        for (const geometry of drawSamples(randomGeometry, rng, 20)) samples.push(await randomConv(rng, geometry));
        return samples;
      },
      verify: (samples) =>
        samples.forEach((sample) => {
          verifyConv(sample);
        }),
      hiddenRerun: true,
      matchReference: 1e-4,
    }),
    property({
      title:
        'reads only x, the weights and the bias, and writes only y: NaN and ±∞ past each input, a sentinel past the output',
      // Dispatched as exercises/kernels/conv2d.ts does (13 params; 8×8 workgroups over the output image,
      // z = b·O + o). Inputs are small integers, so every float32 sum is exact.
      run: async (rng) => {
        const samples = [];
        for (const geometry of [
          { x: [1, 1, 3, 3], kernel: [3, 3], outChannels: 1, stride: [1, 1], padding: 'same' },
          { x: [2, 2, 9, 7], kernel: [3, 3], outChannels: 3, stride: [1, 1], padding: 'valid' },
          { x: [1, 3, 10, 11], kernel: [4, 3], outChannels: 2, stride: [2, 3], padding: 'same' },
        ] satisfies Geometry[]) {
          const [batch, channels, height, width] = geometry.x;
          const [kh, kw] = geometry.kernel;
          const { stride, padBefore, outShape } = attributesOf(geometry);
          const x = gridTensor(rng, geometry.x, -3, 3);
          const weight = gridTensor(rng, [geometry.outChannels, channels, kh, kw], -3, 3);
          const bias = gridTensor(rng, [geometry.outChannels], -3, 3);
          const params = [
            batch,
            channels,
            height,
            width,
            geometry.outChannels,
            kh,
            kw,
            outShape[0],
            outShape[1],
            stride[0],
            stride[1],
            padBefore[0],
            padBefore[1],
          ].map((u32) => ({ u32 }));
          const grid: [number, number, number] = [
            workgroupsFor(outShape[1], TILE),
            workgroupsFor(outShape[0], TILE),
            batch * geometry.outChannels,
          ];
          const y = await paddedDispatch(
            conv2dKernel,
            [x, weight, bias],
            batch * geometry.outChannels * outShape[0] * outShape[1],
            params,
            grid,
          );
          samples.push({
            x: tensorData(x, 'x'),
            weight: tensorData(weight, 'weight'),
            bias: tensorData(bias, 'bias'),
            attributes: { stride, padBefore, outShape },
            y,
          });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ x, weight, bias, attributes, y }) => {
          const want = conv2dOf(x, weight, bias, attributes.stride, attributes.padBefore, attributes.outShape);
          expectPaddedResult(
            y,
            want,
            0,
            `conv2d.wgsl on x [${x.shape.join(', ')}], weight [${weight.shape.join(', ')}] (guard i < outHeight, j < outWidth; skip padded rows and columns)`,
          );
        }),
    }),
    knownValue({
      title: 'the Sobel x-filter finds the vertical edge of a step image',
      // A 4×5 image, 0 left of column 2 and 1 from it on; Sobel x = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], 'valid'.
      run: () =>
        convOnGpu(
          fromArray([
            [0, 0, 1, 1, 1],
            [0, 0, 1, 1, 1],
            [0, 0, 1, 1, 1],
            [0, 0, 1, 1, 1],
          ]).reshape([1, 1, 4, 5]),
          fromArray([
            [-1, 0, 1],
            [-2, 0, 2],
            [-1, 0, 1],
          ]).reshape([1, 1, 3, 3]),
          tensor([0], [1]),
          { stride: [1, 1], padBefore: [0, 0], outShape: [2, 3] },
        ),
      verify: ({ y }) =>
        expectGpuResult(
          y,
          { shape: [1, 1, 2, 3], data: [4, 4, 0, 4, 4, 0] },
          0,
          "Sobel x on a step, 'valid' (cross-correlation: the kernel is not flipped)",
        ),
    }),
    knownValue({
      title: 'a 1×1 kernel of weight 2 and bias 1 maps every pixel to 2x + 1',
      run: () =>
        convOnGpu(
          fromArray([
            [1, 2],
            [3, 4],
          ]).reshape([1, 1, 2, 2]),
          tensor([2], [1, 1, 1, 1]),
          tensor([1], [1]),
          { stride: [1, 1], padBefore: [0, 0], outShape: [2, 2] },
        ),
      verify: ({ y }) =>
        expectGpuResult(y, { shape: [1, 1, 2, 2], data: [3, 5, 7, 9] }, 0, '1×1 convolution with weight 2 and bias 1'),
    }),
    knownValue({
      title: "a 3×3 kernel that is not symmetric, 'same' padding on a 3×3 image: corners see the zeros of the padding",
      // x = 1…9, w = [[1, 2, 0], [0, 0, 0], [0, 0, −1]], pad 1: y[i, j] = x[i−1, j−1] + 2·x[i−1, j] − x[i+1, j+1].
      run: () =>
        convOnGpu(
          fromArray([
            [1, 2, 3],
            [4, 5, 6],
            [7, 8, 9],
          ]).reshape([1, 1, 3, 3]),
          fromArray([
            [1, 2, 0],
            [0, 0, 0],
            [0, 0, -1],
          ]).reshape([1, 1, 3, 3]),
          tensor([0], [1]),
          { stride: [1, 1], padBefore: [1, 1], outShape: [3, 3] },
        ),
      verify: ({ y }) =>
        expectGpuResult(
          y,
          { shape: [1, 1, 3, 3], data: [-5, -6, 0, -6, -4, 8, 8, 14, 17] },
          0,
          "asymmetric 3×3 kernel, 'same' (w[0, 0] meets x[i − 1, j − 1]: do not flip the kernel)",
        ),
    }),
    badInput({
      title: 'refuses weights whose input channels do not match x (given code, after a valid call)',
      run: async () => {
        const valid = await convOnGpu(tensor([1, 2, 3, 4], [1, 1, 2, 2]), tensor([2], [1, 1, 1, 1]), tensor([1], [1]), {
          stride: [1, 1],
          padBefore: [0, 0],
          outShape: [2, 2],
        });
        const [x, weight, bias] = await toGpu(
          tensor([1, 2, 3, 4], [1, 1, 2, 2]),
          tensor([1, 1], [1, 2, 1, 1]),
          tensor([0], [1]),
        );
        return {
          valid,
          error: thrown(() =>
            runKernel('conv2d', [x, weight, bias], { stride: [1, 1], padBefore: [0, 0], outShape: [2, 2] }),
          ),
        };
      },
      verify: ({ valid, error }) => {
        verifyConv(valid);
        expectError(error, ShapeError.name, 'conv2d of a 1-channel x with a weight of 2 input channels');
      },
    }),
  ],
  { webgpu: true },
);
