import '../../../framework/webgpu/index.js';
import '#impl/kernels/index.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import { add, scale, sub } from '../../../framework/ops/arithmetic.js';
import { matmul, transpose } from '../../../framework/ops/linalg.js';
import { sum } from '../../../framework/ops/reductions.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { publicCases, tensorData } from '../../case-api.js';

/**
 * Training on the GPU with the student's kernels only: a 2-layer network x·W1 + b1 → relu → ·W2 + b2 →
 * softmax, written here with runKernel and the framework's ops (so Exercise 1's layers are not graded
 * again), full-batch gradient descent on three separable blobs. Forward uses 'matmul', 'relu' and
 * 'softmax'; backward 'matmul' and 'reluBackward'; the loss and ∂L/∂logits = (p − y)/batch on the CPU.
 */
export async function trainBlobsOnGpu(rng: Rng, examples: number, hidden: number, steps: number) {
  const features: number[] = [];
  const targets: number[] = [];
  const centres = [[2, 0], [-1, 1.7], [-1, -1.7]];
  for (let i = 0; i < examples; i++) {
    const label = i % 3;
    features.push(...centres[label].map((c) => Math.fround(c + 0.6 * rng.normal())));
    targets.push(...[0, 1, 2].map((k) => (k === label ? 1 : 0)));
  }
  const x = await tensor(features, [examples, 2]).to('webgpu');
  const weight = (shape: number[]) => rng.uniformTensor(shape, -0.5, 0.5).asType('float32').asType('float64').to('webgpu');
  let [w1, b1, w2, b2] = [await weight([2, hidden]), await weight([hidden]), await weight([hidden, 3]), await weight([3])];
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const u = add(matmul(x, w1), b1);
    const h = runKernel('relu', [u]);
    const probabilities = await runKernel('softmax', [add(matmul(h, w2), b2)]).to('cpu');
    let loss = 0;
    const gradLogits = new Float64Array(examples * 3);
    for (let i = 0; i < examples * 3; i++) {
      if (targets[i] === 1) loss -= Math.log(Math.max(probabilities.data[i], 1e-30));
      gradLogits[i] = (probabilities.data[i] - targets[i]) / examples;
    }
    losses.push(loss / examples);
    const g = await tensor(gradLogits, [examples, 3]).to('webgpu');
    const gradHidden = runKernel('reluBackward', [u, matmul(g, transpose(w2))]);
    const learningRate = 0.5;
    w2 = sub(w2, scale(matmul(transpose(h), g), learningRate));
    b2 = sub(b2, scale(sum(g, 0), learningRate));
    w1 = sub(w1, scale(matmul(transpose(x), gradHidden), learningRate));
    b1 = sub(b1, scale(sum(gradHidden, 0), learningRate));
  }
  const weights = { w1: await w1.to('cpu'), b1: await b1.to('cpu'), w2: await w2.to('cpu'), b2: await b2.to('cpu') };
  return {
    losses,
    weights: Object.fromEntries(Object.entries(weights).map(([name, value]: [string, Tensor]) => [name, tensorData(value, `the trained ${name}`)])),
  };
}

export default publicCases('ex5', 'GpuTraining', [
  {
    id: 'gpu-training-blobs',
    title: 'a 2 → 16 → 3 network trained on the GPU for 12 steps: the losses and the final weights',
    compare: { kind: 'close', tolerance: 1e-3 },
    run: () => trainBlobsOnGpu(new Rng(5), 90, 16, 12),
  },
]);
