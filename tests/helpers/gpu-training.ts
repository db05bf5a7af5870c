import {
  add,
  matmul,
  type Rng,
  runKernel,
  scale,
  sub,
  sum,
  tensor,
  transpose,
  type Tensor,
} from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { tensorData, type TensorData } from '../harness/index.js';
import { reluBackwardReference, reluReference, softmaxReference } from './cpu-reference.js';

/**
 * The Exercise 5 training check without any student layer, loss or optimizer (DESIGN §5): a network
 * x·W1 + b1 → relu → ·W2 + b2 → softmax written here with the framework's ops and runKernel, trained
 * by full-batch gradient descent on mean cross-entropy. On 'webgpu' every product is `matmul` (the
 * student's tiled kernel, or the naive one while the tiled is a stub), relu, reluBackward and softmax
 * are the student's kernels, and add/sub/scale/sum/transpose the framework's. On 'cpu' the same loop
 * runs in float64 with the kit's CPU references: the twin the GPU run is compared with. The loss and
 * ∂L/∂logits = (p − y)/batch are computed here, on the CPU, as trainStepOnDevice does.
 */
export interface TwoLayerWeights {
  readonly w1: Tensor;
  readonly b1: Tensor;
  readonly w2: Tensor;
  readonly b2: Tensor;
}

/** Weights drawn from `rng` in ±1/√fan-in, rounded to float32 so that both devices start alike. */
export function initialWeights(rng: Rng, inputs: number, hidden: number, outputs: number): TwoLayerWeights {
  const draw = (shape: number[], fanIn: number) => {
    const bound = 1 / Math.sqrt(fanIn);
    return tensor(
      Array.from(rng.uniformTensor(shape, -bound, bound).data, (v) => Math.fround(v)),
      shape,
    );
  };
  return {
    w1: draw([inputs, hidden], inputs),
    b1: draw([hidden], inputs),
    w2: draw([hidden, outputs], hidden),
    b2: draw([outputs], hidden),
  };
}

export interface TrainingRun {
  /** Mean cross-entropy before each step. */
  readonly losses: number[];
  /** The trained weights. */
  readonly weights: Record<'w1' | 'b1' | 'w2' | 'b2', TensorData>;
  /** softmax of the network on `evaluate` after training (raw probabilities; verify takes the argmax). */
  readonly scores: TensorData;
  /** Dispatches of the student's kernels during the run (zeros on the CPU). */
  readonly dispatches: { matmul: number; relu: number; reluBackward: number; softmax: number };
}

type Device = 'webgpu' | 'cpu';

const KERNELS = ['matmulTiled', 'matmulNaive', 'relu', 'reluBackward', 'softmax'] as const;

function counts(): Record<(typeof KERNELS)[number], number> {
  return Object.fromEntries(KERNELS.map((name) => [name, gpuDispatchCount(name)])) as Record<
    (typeof KERNELS)[number],
    number
  >;
}

export async function trainTwoLayer(
  device: Device,
  x: Tensor,
  targets: Tensor,
  initial: TwoLayerWeights,
  options: { steps: number; learningRate: number; evaluate: Tensor },
): Promise<TrainingRun> {
  const onGpu = device === 'webgpu';
  const relu = (u: Tensor) => (onGpu ? runKernel('relu', [u]) : reluReference(u));
  const reluBackward = (u: Tensor, g: Tensor) =>
    onGpu ? runKernel('reluBackward', [u, g]) : reluBackwardReference(u, g);
  const softmax = (logits: Tensor) => (onGpu ? runKernel('softmax', [logits]) : softmaxReference(logits));
  const forward = (input: Tensor, w: TwoLayerWeights) => {
    const u = add(matmul(input, w.w1), w.b1);
    const h = relu(u);
    return { u, h, p: softmax(add(matmul(h, w.w2), w.b2)) };
  };

  const before = counts();
  const input = await x.to(device);
  let w: TwoLayerWeights = {
    w1: await initial.w1.to(device),
    b1: await initial.b1.to(device),
    w2: await initial.w2.to(device),
    b2: await initial.b2.to(device),
  };
  const [batch, classes] = targets.shape;
  const losses: number[] = [];
  for (let step = 0; step < options.steps; step++) {
    const { u, h, p } = forward(input, w);
    const probabilities = await p.to('cpu');
    let loss = 0;
    const gradLogits = new Float64Array(batch * classes);
    for (let i = 0; i < batch * classes; i++) {
      if (targets.data[i] > 0) loss -= targets.data[i] * Math.log(Math.max(probabilities.data[i], 1e-30));
      gradLogits[i] = (probabilities.data[i] - targets.data[i]) / batch;
    }
    losses.push(loss / batch);
    const g = await tensor(gradLogits, [batch, classes]).to(device);
    const gradHidden = reluBackward(u, matmul(g, transpose(w.w2)));
    w = {
      w2: sub(w.w2, scale(matmul(transpose(h), g), options.learningRate)),
      b2: sub(w.b2, scale(sum(g, 0), options.learningRate)),
      w1: sub(w.w1, scale(matmul(transpose(input), gradHidden), options.learningRate)),
      b1: sub(w.b1, scale(sum(gradHidden, 0), options.learningRate)),
    };
  }
  const scores = tensorData(
    await forward(await options.evaluate.to(device), w).p.to('cpu'),
    `the network's output on ${device}`,
  );
  const after = counts();
  const delta = (name: (typeof KERNELS)[number]) => after[name] - before[name];
  return {
    losses,
    weights: {
      w1: tensorData(await w.w1.to('cpu'), 'the trained W1'),
      b1: tensorData(await w.b1.to('cpu'), 'the trained b1'),
      w2: tensorData(await w.w2.to('cpu'), 'the trained W2'),
      b2: tensorData(await w.b2.to('cpu'), 'the trained b2'),
    },
    scores,
    dispatches: {
      matmul: delta('matmulTiled') + delta('matmulNaive'),
      relu: delta('relu'),
      reluBackward: delta('reluBackward'),
      softmax: delta('softmax'),
    },
  };
}

/** Dispatches a GPU run of `steps` steps must show: 5 products, relu, reluBackward, softmax per step, and the evaluation's 2 products, relu, softmax. */
export function expectedDispatches(steps: number): TrainingRun['dispatches'] {
  return { matmul: 5 * steps + 2, relu: steps + 1, reluBackward: steps, softmax: steps + 1 };
}

/** Three Gaussian blobs in the plane (float32-exact), one-hot targets: a task any working network separates. */
export function blobs(rng: Rng, examples: number): { x: Tensor; y: Tensor; labels: number[] } {
  const centres = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  const features: number[] = [];
  const targets: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < examples; i++) {
    const label = i % 3;
    labels.push(label);
    features.push(...centres[label].map((c) => Math.fround(c + 0.6 * rng.normal())));
    targets.push(...[0, 1, 2].map((k) => (k === label ? 1 : 0)));
  }
  return { x: tensor(features, [examples, 2]), y: tensor(targets, [examples, 3]), labels };
}
