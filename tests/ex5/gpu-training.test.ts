import { expect } from 'vitest';
import { loadIris, Rng, standardizer, trainTestSplit } from '../../framework/index.js';
import '#impl/kernels/index.js';
import { accuracyOf, componentChecks, expectClose, intIn, labelsOf, training } from '../harness/index.js';
import { blobs, expectedDispatches, initialWeights, trainTwoLayer, type TrainingRun } from '../helpers/gpu-training.js';

/**
 * Exercise 5 end to end: the Exercise 1 network's shape (FC → ReLU → FC → SoftMax, cross-entropy,
 * gradient descent) trained with every product, ReLU, ReLU backward and softmax on the GPU (your
 * kernels; add, sub, scale, sum and transpose are the framework's). The layers, the loss and the update
 * are written in tests/helpers/gpu-training.ts, so only the kernels are graded here; the same loop on
 * the CPU (float64, the kit's CPU references) is the twin the GPU run must follow. Needs every kernel
 * of the exercise: if only this fails, run the others first.
 * Handout: docs/exercises/5-webgpu.md#training-on-the-gpu
 */
const LOSS_TOLERANCE = 1e-3;

/** The GPU run follows the CPU twin: the same losses all along (float32 against float64), the same weights. */
function expectSameRun(gpu: TrainingRun, cpu: TrainingRun, steps: number, what: string): void {
  expect(
    gpu.dispatches,
    `${what}: dispatches of your kernels (every product, relu, reluBackward and softmax must run on the GPU)`,
  ).toEqual(expectedDispatches(steps));
  gpu.losses.forEach((loss, i) => {
    expect(
      Math.abs(loss - cpu.losses[i]),
      `${what}: loss at step ${i} is ${loss} on the GPU, ${cpu.losses[i]} on the CPU`,
    ).toBeLessThan(LOSS_TOLERANCE);
  });
  for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
    expectClose(
      gpu.weights[name],
      cpu.weights[name],
      LOSS_TOLERANCE,
      `${what}: the trained ${name} on the GPU against the CPU twin`,
    );
  }
}

/** A blob-classification run on both devices, sizes from the caller. */
async function blobRuns(rng: Rng, examples: number, hidden: number, steps: number) {
  const data = blobs(rng, examples);
  const initial = initialWeights(rng, 2, hidden, 3);
  const options = { steps, learningRate: 0.5, evaluate: data.x };
  return {
    examples,
    hidden,
    steps,
    gpu: await trainTwoLayer('webgpu', data.x, data.y, initial, options),
    cpu: await trainTwoLayer('cpu', data.x, data.y, initial, options),
  };
}

function verifyBlobRuns({ examples, hidden, steps, gpu, cpu }: Awaited<ReturnType<typeof blobRuns>>): void {
  expectSameRun(gpu, cpu, steps, `2 → ${hidden} → 3 on ${examples} blob points, ${steps} steps`);
  expect(gpu.losses.at(-1)!, `2 → ${hidden} → 3: the loss should fall over ${steps} steps`).toBeLessThan(gpu.losses[0]);
}

const IRIS_STEPS = 25;

// isolate: what is graded is which kernels kernels/index.ts registers by importing them; in a process
// shared with the other kernels' checks, their imports would register them all the same.
export default componentChecks(
  'ex5',
  'GpuTraining',
  [
    training({
      title: `the Exercise 1 network (4 → 10 → 3) trains on the GPU to the CPU's accuracy on Iris (${IRIS_STEPS} full-batch steps)`,
      weight: 2,
      run: async () => {
        const rng = new Rng(1);
        const { train, test } = trainTestSplit(loadIris(), { rng });
        const normalize = standardizer(train.x);
        const initial = initialWeights(rng, 4, 10, 3);
        const options = { steps: IRIS_STEPS, learningRate: 0.5, evaluate: normalize(test.x) };
        const gpu = await trainTwoLayer('webgpu', normalize(train.x), train.y, initial, options);
        const cpu = await trainTwoLayer('cpu', normalize(train.x), train.y, initial, options);
        return { gpu, cpu, labels: labelsOf(test.y) };
      },
      verify: ({ gpu, cpu, labels }) => {
        expectSameRun(gpu, cpu, IRIS_STEPS, 'Iris');
        expect(gpu.losses.at(-1)!, 'the loss on the GPU should fall to under half its start').toBeLessThan(
          gpu.losses[0] / 2,
        );
        const [onGpu, onCpu] = [accuracyOf(gpu.scores, labels), accuracyOf(cpu.scores, labels)];
        expect(onGpu, `test accuracy on the GPU ${onGpu}, on the CPU ${onCpu}`).toBe(onCpu);
        expect(onGpu, 'test accuracy on the GPU').toBeGreaterThanOrEqual(0.9);
      },
    }),
    training({
      title: 'a 2 → 16 → 3 network trained on the GPU for 12 steps: the losses and the final weights follow the CPU',
      run: () => blobRuns(new Rng(5), 90, 16, 12),
      verify: verifyBlobRuns,
    }),
    training({
      title: 'training on other data, sizes and widths (past a 64-wide block of the tiled matmul)',
      run: (rng) => blobRuns(rng.fork(), intIn(rng, 30, 150), intIn(rng, 5, 80), 10),
      verify: verifyBlobRuns,
      hiddenRerun: true,
      matchReference: LOSS_TOLERANCE,
    }),
  ],
  { webgpu: true, isolate: true },
);
