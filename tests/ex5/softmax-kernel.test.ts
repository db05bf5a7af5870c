import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, runKernel, tensor, type Rng, type Tensor } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { softmaxKernel } from '#impl/kernels/softmax-kernel.js';
import {
  closeEnough,
  componentChecks,
  drawSamples,
  expectClose,
  expectFinite,
  fail,
  gradient,
  intIn,
  knownValue,
  property,
  tensorData,
} from '../harness/index.js';
import { softmaxOf } from '../helpers/cpu-reference.js';
import { expectGpuResult, expectPaddedResult } from '../helpers/gpu-compare.js';
import { f32Tensor, gpuResult, paddedDispatch, type GpuTensorData } from '../helpers/gpu-data.js';

/**
 * Exercise 5, row softmax: solutions/kernels/softmax.wgsl (one workgroup of 64 per row, tree
 * reductions for the maximum and the sum) against the max-shifted definition recomputed in verify.
 * Handout: docs/exercises/5-webgpu.md#softmax-kernel
 */
const TOLERANCE = 1e-5;
const LAW_TOLERANCE = 1e-4;

/** softmax(x) on the GPU with its input. */
async function softmaxOnGpu(x: Tensor) {
  return {
    x: tensorData(x, 'x'),
    y: await gpuResult(runKernel('softmax', [await x.to('webgpu')]), "the 'softmax' WebGPU kernel"),
  };
}

type Softmaxed = Awaited<ReturnType<typeof softmaxOnGpu>>;

function verifySoftmax({ x, y }: Softmaxed, what: string, tolerance = TOLERANCE): void {
  expectGpuResult(
    y,
    softmaxOf(x),
    tolerance,
    `softmax of ${what}: y_k = exp(x_k − m) / Σ_j exp(x_j − m), m = the row maximum`,
  );
}

const random = (rng: Rng, shape: number[], spread = 5): Tensor => f32Tensor(rng, shape, -spread, spread);

/** [rows, classes] as the kernel sees them: every leading axis is a row. */
function rowsOf(shape: readonly number[]): [number, number] {
  const classes = shape[shape.length - 1];
  return [shape.reduce((a, b) => a * b, 1) / classes, classes];
}

export default componentChecks(
  'ex5',
  'SoftmaxKernel',
  [
    // Rows shorter than, equal to and longer than the 64-invocation workgroup; many rows.
    ...[
      [1, 1],
      [4, 3],
      [3, 63],
      [2, 64],
      [5, 65],
      [2, 129],
      [1, 1000],
      [300, 10],
    ].map(([rows, classes]) =>
      property({
        title: `${rows} rows of ${classes} classes match the CPU`,
        run: (rng) => softmaxOnGpu(random(rng, [rows, classes])),
        verify: (data) => verifySoftmax(data, `[${rows}, ${classes}]`),
      }),
    ),
    property({
      title: 'rows sum to 1 and are unchanged by adding a constant, on random shapes',
      run: async (rng) => {
        const samples = [];
        const draw = fc.tuple(
          fc.integer({ min: 1, max: 20 }),
          fc.integer({ min: 1, max: 150 }),
          fc.double({ min: -50, max: 50, noNaN: true }),
        );
        for (const [rows, classes, shift] of drawSamples(draw, rng, 20)) {
          const x = random(rng, [rows, classes]);
          const shifted = tensor(
            Array.from(x.data, (v) => Math.fround(v + shift)),
            x.shape,
          );
          samples.push({ shift, plain: await softmaxOnGpu(x), shifted: await softmaxOnGpu(shifted) });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ shift, plain, shifted }, i) => {
          const [rows, classes] = rowsOf(plain.x.shape);
          for (let row = 0; row < rows; row++) {
            let total = 0;
            for (let k = 0; k < classes; k++) total += plain.y.data[row * classes + k];
            if (!closeEnough(total, 1, TOLERANCE))
              fail(
                `sample ${i}, softmax of [${rows}, ${classes}]: row ${row} sums to ${total}, not 1 (divide by the sum of the whole row: every lane's share, reduced)`,
              );
          }
          expectClose(
            shifted.y,
            plain.y,
            LAW_TOLERANCE,
            `sample ${i}, [${rows}, ${classes}]: softmax(x + ${shift}) must equal softmax(x)`,
          );
        }),
      hiddenRerun: true,
      matchReference: LAW_TOLERANCE,
    }),
    property({
      title: 'treats every leading axis as rows: a [2, 3, 70] tensor',
      run: (rng) => softmaxOnGpu(random(rng, [2, 3, 70])),
      verify: (data) => verifySoftmax(data, '[2, 3, 70]'),
    }),
    property({
      title: 'random rows and classes: a handful, past several workgroups of classes, and three axes',
      run: async (rng) => ({
        few: await softmaxOnGpu(random(rng, [intIn(rng, 1, 50), intIn(rng, 2, 20)], 4)),
        wide: await softmaxOnGpu(random(rng, [intIn(rng, 1, 4), intIn(rng, 257, 1500)], 4)),
        ranked: await softmaxOnGpu(random(rng, [intIn(rng, 1, 3), intIn(rng, 1, 4), intIn(rng, 30, 130)], 4)),
      }),
      verify: ({ few, wide, ranked }) => {
        verifySoftmax(few, `[${few.x.shape.join(', ')}]`);
        verifySoftmax(wide, `[${wide.x.shape.join(', ')}] (more classes than 4 workgroups of lanes)`);
        verifySoftmax(ranked, `[${ranked.x.shape.join(', ')}] (every leading axis is a row)`);
      },
      hiddenRerun: true,
      matchReference: LAW_TOLERANCE,
    }),
    property({
      title: 'logits up to ±500 stay finite (the row maximum is subtracted)',
      run: (rng) => softmaxOnGpu(random(rng, [intIn(rng, 2, 8), intIn(rng, 3, 100)], 500)),
      verify: (data) => {
        expectFinite(
          data.y,
          'softmax of logits up to ±500 (exp(500) overflows float32: subtract the row maximum first)',
        );
        verifySoftmax(data, `[${data.x.shape.join(', ')}] of logits up to ±500`, LAW_TOLERANCE);
      },
      hiddenRerun: true,
      matchReference: LAW_TOLERANCE,
    }),
    property({
      title: 'reads and writes only its rows: NaN and ±∞ past the input, a sentinel past the output',
      // Dispatched as exercises/kernels/softmax-kernel.ts does: params (rows, classes), one workgroup per row.
      run: async (rng) => {
        const samples = [];
        for (const [rows, classes] of [
          [1, 1],
          [3, 5],
          [2, 63],
          [2, 65],
          [1, 130],
        ]) {
          const x = random(rng, [rows, classes]);
          samples.push({
            x: tensorData(x, 'x'),
            y: await paddedDispatch(softmaxKernel, [x], rows * classes, [{ u32: rows }, { u32: classes }], [rows]),
          });
        }
        return samples;
      },
      verify: (samples) =>
        samples.forEach(({ x, y }) => {
          expectPaddedResult(
            y,
            softmaxOf(x),
            TOLERANCE,
            `softmax.wgsl on [${x.shape.join(', ')}] (guard every lane's k < classes)`,
          );
        }),
    }),
    knownValue({
      title: "the seed's four-class table (004: 1430–1436)",
      run: () => softmaxOnGpu(fromArray([[-3.44, 1.16, -0.81, 3.91]])),
      verify: ({ y }) => {
        const table = [0.0006, 0.0596, 0.0083, 0.9315]; // rounded in the seed
        expect(y.device, 'the result should stay on the GPU').toBe('webgpu');
        table.forEach((want, k) => {
          expect(
            Math.abs(y.data[k] - want),
            `softmax of (−3.44, 1.16, −0.81, 3.91), class ${k}: ${y.data[k]}, the seed says ${want}`,
          ).toBeLessThan(5e-4);
        });
      },
    }),
    knownValue({
      title: 'does not overflow: τ((1, 1000, 2)) ≈ (0, 1, 0) (000: 610; needs the max shift)',
      run: () => softmaxOnGpu(fromArray([[1, 1000, 2]])),
      verify: ({ y }) =>
        expectGpuResult(
          y,
          { shape: [1, 3], data: [0, 1, 0] },
          0,
          'softmax of (1, 1000, 2): exp(1000) overflows, subtract the row maximum first',
        ),
    }),
    knownValue({
      title: 'all-negative logits: τ((−1000, −1001, −1002)) = τ((0, −1, −2)) ≈ (0.665, 0.245, 0.090)',
      // Without the shift every exp underflows to 0 and 0/0 is NaN; a maximum that starts at 0 instead of
      // the lowest float shifts by 0 here and fails the same way.
      run: () => softmaxOnGpu(fromArray([[-1000, -1001, -1002]])),
      verify: ({ y }) => {
        const e = [1, Math.exp(-1), Math.exp(-2)];
        const total = e[0] + e[1] + e[2];
        expectGpuResult(
          y,
          { shape: [1, 3], data: e.map((v) => v / total) },
          TOLERANCE,
          'softmax of (−1000, −1001, −1002): start the maximum at the lowest float, not 0, and subtract it',
        );
      },
    }),
    gradient({
      title:
        'the kernel has the softmax Jacobian: centred differences of y match y ⊙ (v − y·v), what SoftMax.backward computes',
      // SoftMax.backward (Exercise 1) is framework ops on the kernel's y; it is right only if y is the
      // softmax of x. Directional derivatives of the kernel along each class (h = 1/64, float32)
      // against the Jacobian-vector product built from the kernel's own y, for a random v.
      run: async (rng) => {
        const [rows, classes] = [7, 5];
        const x = random(rng, [rows, classes], 2);
        const v = random(rng, [rows, classes], 1);
        const h = 1 / 64;
        const before = gpuDispatchCount('softmax');
        const { y } = await softmaxOnGpu(x);
        const dispatches = gpuDispatchCount('softmax') - before;
        const columns: Array<{ up: GpuTensorData; down: GpuTensorData }> = [];
        for (let j = 0; j < classes; j++) {
          const nudged = (delta: number) =>
            tensor(
              Array.from(x.data, (value, i) => (i % classes === j ? value + delta : value)),
              x.shape,
            );
          columns.push({ up: (await softmaxOnGpu(nudged(h))).y, down: (await softmaxOnGpu(nudged(-h))).y });
        }
        return { x: tensorData(x, 'x'), v: tensorData(v, 'v'), h, y, columns, dispatches };
      },
      verify: ({ x, v, h, y, columns, dispatches }) => {
        expect(dispatches, "runKernel('softmax') on the GPU should dispatch softmax.wgsl exactly once").toBe(1);
        verifySoftmax({ x, y }, '[7, 5]');
        const [rows, classes] = rowsOf(x.shape);
        for (let row = 0; row < rows; row++) {
          let dot = 0;
          for (let k = 0; k < classes; k++) dot += v.data[row * classes + k] * y.data[row * classes + k];
          for (let j = 0; j < classes; j++) {
            const analytic = y.data[row * classes + j] * (v.data[row * classes + j] - dot);
            let numeric = 0;
            for (let k = 0; k < classes; k++)
              numeric +=
                (v.data[row * classes + k] *
                  (columns[j].up.data[row * classes + k] - columns[j].down.data[row * classes + k])) /
                (2 * h);
            if (Math.abs(numeric - analytic) > 2e-3 * (1 + Math.abs(analytic))) {
              fail(
                `softmax kernel, row ${row}, class ${j}: centred differences give ∂(v·y)/∂x_${j} = ${numeric}, but y_${j}(v_${j} − v·y) = ${analytic}: the kernel's output is not the softmax of its input`,
              );
            }
          }
        }
      },
    }),
  ],
  { webgpu: true },
);
