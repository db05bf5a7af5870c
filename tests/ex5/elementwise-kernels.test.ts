import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, runKernel, ShapeError, tensor, type Rng, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount, workgroupsFor } from '../../framework/webgpu/index.js';
import { reluBackwardKernel, reluKernel } from '#impl/kernels/relu-kernels.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectError,
  fail,
  gradient,
  intIn,
  knownValue,
  property,
  tensorData,
  thrown,
} from '../harness/index.js';
import { reluBackwardOf, reluOf } from '../helpers/cpu-reference.js';
import { expectGpuResult, expectPaddedResult } from '../helpers/gpu-compare.js';
import { gpuResult, gridTensor, paddedDispatch, toGpu, type GpuTensorData } from '../helpers/gpu-data.js';

/**
 * Exercise 5, element-wise kernels: solutions/kernels/relu.wgsl and relu-backward.wgsl against the
 * definition, recomputed in verify from the inputs that came back. ReLU is exact in float32 (it
 * copies or zeroes), so the tolerance is 0. Inputs are multiples of ¼ in [−2, 2]: exact in float32,
 * and about one in seventeen is exactly 0, where relu' is 0 (004: 2806).
 * Handout: docs/exercises/5-webgpu.md#elementwise-kernels
 */
const WORKGROUP = 256; // @workgroup_size in relu.wgsl and relu-backward.wgsl

const random = (rng: Rng, shape: number[]): Tensor => gridTensor(rng, shape, -2, 2, 0.25);

/** relu(x) and reluBackward(x, dy) on the GPU, with the inputs they ran on. */
async function bothOnGpu(x: Tensor, dy: Tensor) {
  const [xs, dys] = await toGpu(x, dy);
  return {
    x: tensorData(x, 'x'),
    dy: tensorData(dy, 'dy'),
    forward: await gpuResult(runKernel('relu', [xs]), "the 'relu' WebGPU kernel"),
    backward: await gpuResult(runKernel('reluBackward', [xs, dys]), "the 'reluBackward' WebGPU kernel"),
  };
}

type Both = Awaited<ReturnType<typeof bothOnGpu>>;

function verifyBoth({ x, dy, forward, backward }: Both, what: string): void {
  expectGpuResult(forward, reluOf(x), 0, `relu on ${what}: y = max(0, x)`);
  expectGpuResult(
    backward,
    reluBackwardOf(x, dy),
    0,
    `reluBackward on ${what}: dx = dy where x > 0, else 0 (also at x = 0)`,
  );
}

const randomShape = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 });

export default componentChecks(
  'ex5',
  'ElementwiseKernels',
  [
    // Below, at and just past one workgroup of 256, and several workgroups plus a remainder.
    ...[1, 7, 255, 256, 257, 513, 3000].map((n) =>
      property({
        title: `relu and reluBackward match the CPU on ${n} elements`,
        run: (rng) => bothOnGpu(random(rng, [n]), random(rng, [n])),
        verify: (data) => verifyBoth(data, `${n} elements`),
      }),
    ),
    property({
      title: 'relu and reluBackward match the CPU on random shapes (rank 1 to 4, sides 1 to 9)',
      run: async (rng) => {
        const samples = [];
        for (const shape of drawSamples(randomShape, rng, 30))
          samples.push(await bothOnGpu(random(rng, shape), random(rng, shape)));
        return samples;
      },
      verify: (samples) =>
        samples.forEach((sample, i) => {
          verifyBoth(sample, `sample ${i}, shape [${sample.x.shape.join(', ')}]`);
        }),
      hiddenRerun: true,
      matchReference: 'exact',
    }),
    property({
      title:
        'relu and reluBackward on random lengths: a multiple of the workgroup, a ragged one up to 6000, a small one',
      run: async (rng) => {
        const lengths = [WORKGROUP * intIn(rng, 2, 12), intIn(rng, 1, 6000), intIn(rng, 1, 40)];
        const samples = [];
        for (const n of lengths) samples.push(await bothOnGpu(random(rng, [n]), random(rng, [n])));
        return samples;
      },
      verify: (samples) =>
        samples.forEach((sample) => {
          verifyBoth(sample, `${sample.x.shape[0]} elements`);
        }),
      hiddenRerun: true,
      matchReference: 'exact',
    }),
    property({
      title: 'relu and reluBackward on a [2, 3, 5, 7] tensor',
      run: (rng) => bothOnGpu(random(rng, [2, 3, 5, 7]), random(rng, [2, 3, 5, 7])),
      verify: (data) => verifyBoth(data, 'a [2, 3, 5, 7] tensor'),
    }),
    property({
      title: 'write every element: a tensor of 300 positive values comes back whole',
      run: async () =>
        gpuResult(
          runKernel('relu', [await fromArray(Array.from({ length: 300 }, (_, i) => i + 1)).to('webgpu')]),
          "the 'relu' WebGPU kernel",
        ),
      verify: (y) =>
        expectGpuResult(
          y,
          { shape: [300], data: Array.from({ length: 300 }, (_, i) => i + 1) },
          0,
          'relu of 1, 2, …, 300',
        ),
    }),
    property({
      title:
        'read and write only the first params.size elements: NaN and ±∞ past the inputs, a sentinel past the output',
      // Buffers longer than their tensors, as the runtime may hand out: a missing `if (i < params.size)`
      // writes into the padding, and a size taken from arrayLength reads NaN.
      run: async (rng) => {
        const samples = [];
        for (const n of [1, 100, 255, 257, 1000]) {
          const [x, dy] = [random(rng, [n]), random(rng, [n])];
          const params = [{ u32: n }];
          const grid: [number] = [workgroupsFor(n, WORKGROUP)];
          samples.push({
            x: tensorData(x, 'x'),
            dy: tensorData(dy, 'dy'),
            forward: await paddedDispatch(reluKernel, [x], n, params, grid),
            backward: await paddedDispatch(reluBackwardKernel, [x, dy], n, params, grid),
          });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ x, dy, forward, backward }) => {
          expectPaddedResult(forward, reluOf(x), 0, `relu.wgsl on ${x.data.length} elements`);
          expectPaddedResult(backward, reluBackwardOf(x, dy), 0, `relu-backward.wgsl on ${x.data.length} elements`);
        }),
    }),
    knownValue({
      title: 'relu zeroes negatives and zero, keeps positives (derivative 0 at 0, seed 004: 2806)',
      run: () => bothOnGpu(fromArray([[-2, -0.5, 0, 0.5, 3]]), fromArray([[10, 20, 30, 40, 50]])),
      verify: ({ forward, backward }) => {
        expectGpuResult(forward, { shape: [1, 5], data: [0, 0, 0, 0.5, 3] }, 0, 'relu of (−2, −0.5, 0, 0.5, 3)');
        expectGpuResult(
          backward,
          { shape: [1, 5], data: [0, 0, 0, 40, 50] },
          0,
          'reluBackward of (−2, −0.5, 0, 0.5, 3) with dy = (10, 20, 30, 40, 50): the derivative at 0 is 0',
        );
      },
    }),
    gradient({
      title: 'reluBackward is the derivative of relu: centred differences of the relu kernel, one dispatch per call',
      // What the ReLU layer of Exercise 1 does on the GPU (runKernel('relu') forward, 'reluBackward'
      // backward), without the student's layer: ∂L/∂x of L = Σ dy·relu(x), by centred differences of
      // the relu kernel itself (h = 1/16, inputs at least 1/8 away from the kink at 0), against reluBackward.
      run: async (rng) => {
        const shape = [6, 5];
        const x = new Float64Array(random(rng, shape).data).map((v) => (v === 0 ? 0.5 : v));
        const dy = random(rng, shape);
        const h = 1 / 16;
        const [xs, dys, plus, minus] = await toGpu(
          tensor(x, shape),
          dy,
          tensor(
            x.map((v) => v + h),
            shape,
          ),
          tensor(
            x.map((v) => v - h),
            shape,
          ),
        );
        const forwardBefore = gpuDispatchCount('relu');
        const backwardBefore = gpuDispatchCount('reluBackward');
        const forward = await gpuResult(runKernel('relu', [xs]), "the 'relu' WebGPU kernel");
        const forwardDispatches = gpuDispatchCount('relu') - forwardBefore;
        const backward = await gpuResult(runKernel('reluBackward', [xs, dys]), "the 'reluBackward' WebGPU kernel");
        const backwardDispatches = gpuDispatchCount('reluBackward') - backwardBefore;
        const up = await gpuResult(runKernel('relu', [plus]), "the 'relu' WebGPU kernel");
        const down = await gpuResult(runKernel('relu', [minus]), "the 'relu' WebGPU kernel");
        return {
          x: { shape, data: Array.from(x) },
          dy: tensorData(dy, 'dy'),
          h,
          forward,
          backward,
          up,
          down,
          forwardDispatches,
          backwardDispatches,
        };
      },
      verify: ({ x, dy, h, forward, backward, up, down, forwardDispatches, backwardDispatches }) => {
        expect(forwardDispatches, "runKernel('relu') on the GPU should dispatch relu.wgsl exactly once").toBe(1);
        expect(
          backwardDispatches,
          "runKernel('reluBackward') on the GPU should dispatch relu-backward.wgsl exactly once",
        ).toBe(1);
        expectGpuResult(forward, reluOf(x), 0, 'relu');
        const numeric: GpuTensorData = {
          device: 'webgpu',
          shape: x.shape,
          data: dy.data.map((g, i) => (g * (up.data[i] - down.data[i])) / (2 * h)),
        };
        expectGpuResult(
          numeric,
          reluBackwardOf(x, dy),
          1e-6,
          'centred differences of the relu kernel (is relu.wgsl max(0, x)?)',
        );
        backward.data.forEach((value, i) => {
          if (Math.abs(value - numeric.data[i]) > 1e-6) {
            fail(
              `reluBackward: element ${i} is ${value}, but centred differences of relu give ${numeric.data[i]} (x = ${x.data[i]}, dy = ${dy.data[i]}): dx = dy where x > 0, else 0`,
            );
          }
        });
      },
    }),
    badInput({
      title: 'reluBackward refuses a gradient of another shape than the input',
      run: async () => {
        const [x, dy, wrong] = await toGpu(
          tensor([1, -1, 2], [1, 3]),
          tensor([1, 1, 1], [1, 3]),
          tensor([1, 1], [1, 2]),
        );
        // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
        const valid = await gpuResult(runKernel('reluBackward', [x, dy]), "the 'reluBackward' WebGPU kernel");
        return { valid, error: thrown(() => runKernel('reluBackward', [x, wrong])) };
      },
      verify: ({ valid, error }) => {
        expectGpuResult(valid, { shape: [1, 3], data: [1, 0, 1] }, 0, 'reluBackward of x = (1, −1, 2), dy = (1, 1, 1)');
        expectError(error, ShapeError.name, 'reluBackward of a [1, 3] input with a [1, 2] gradient');
      },
    }),
  ],
  { webgpu: true },
);
