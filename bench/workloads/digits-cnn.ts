import { createRequire } from 'node:module';
import {
  accuracy,
  loadDigits,
  Rng,
  selectRows,
  trainTestSplit,
  type Layer,
  type LabelledDataset,
  type Tensor,
} from '../../framework/index.js';
import { Conv } from '../../solutions/layers/conv.js';
import { MaxPool } from '../../solutions/layers/max-pool.js';
import { Flatten } from '../../solutions/layers/flatten.js';
import { FullyConnected } from '../../solutions/layers/fully-connected.js';
import { ReLU } from '../../solutions/activations/relu.js';
import { SoftmaxCrossEntropyLoss } from '../../solutions/losses/softmax-cross-entropy-loss.js';
import { Adam } from '../../solutions/optimizers/adam.js';
import { He } from '../../solutions/initializers/he.js';
import { Constant } from '../../solutions/initializers/constant.js';
import type { Scalar, Tensor4D, Variable } from '@tensorflow/tfjs';
import type { Tfjs } from '../lib/tfjs.js';

/**
 * The Exercise 2 goal network on Digits, the same in every implementation:
 *   Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → FC(64→32) → ReLU → FC(32→10),
 *   softmax cross-entropy on the logits (mean over the batch), Adam (lr 0.01, 0.9, 0.999, 1e-8),
 *   batches of 200 from the training two thirds, He weights and 0.1 biases from the kit's initializers.
 * Every implementation starts from the kit's initial weights (converted to its layout) and sees the
 * same batches, so their losses agree at the first step and their accuracies are comparable.
 */
export interface DigitsCnnProblem {
  train: LabelledDataset;
  test: LabelledDataset;
  batchSize: number;
  learningRate: number;
  /** Example indices of batch k (cycled): shuffled epochs from a fixed seed. */
  batches: number[][];
}

export function digitsCnnProblem(seed = 1): DigitsCnnProblem {
  const { train, test } = trainTestSplit(loadDigits({ layout: 'image' }), { rng: new Rng(7) });
  const rng = new Rng(seed);
  const batchSize = 200;
  const batches: number[][] = [];
  while (batches.length < 120) {
    const order = rng.permutation(train.labels.length);
    for (let start = 0; start + batchSize <= order.length; start += batchSize)
      batches.push(order.slice(start, start + batchSize));
  }
  return { train, test, batchSize, learningRate: 0.01, batches };
}

export interface CnnTrainer {
  /** Runs `iterations` training steps (continuing the batch cycle) and returns each loss. */
  train(iterations: number): number[];
  /** Accuracy on the held-out third. */
  testAccuracy(): number;
  dispose(): void;
}

/** The kit's reference solutions, run through the registered CPU kernels (plain loops or im2col). */
export function kitDigitsCnn(problem: DigitsCnnProblem, seed = 1): CnnTrainer & { initial: Tensor[] } {
  const rng = new Rng(seed);
  const layers: Layer[] = [
    new Conv({ inChannels: 1, outChannels: 4, kernelSize: [3, 3], padding: 'same', rng }),
    new ReLU(),
    new MaxPool({ kernelSize: [2, 2] }),
    new Flatten(),
    new FullyConnected(64, 32, { rng }),
    new ReLU(),
    new FullyConnected(32, 10, { rng }),
  ];
  for (const layer of layers) layer.initialize?.(new He(), new Constant(0.1), rng);
  const parameters = layers.flatMap((layer) => layer.parameters());
  const initial = parameters.map((p) => p.value.clone());
  const loss = new SoftmaxCrossEntropyLoss();
  const optimizer = new Adam({ lr: problem.learningRate });
  let next = 0;
  const forward = (x: Tensor): Tensor => layers.reduce((output, layer) => layer.forward(output), x);
  const step = (): number => {
    const indices = problem.batches[next++ % problem.batches.length];
    optimizer.zeroGrad(parameters);
    const value = loss.forward(forward(selectRows(problem.train.x, indices)), selectRows(problem.train.y, indices));
    let gradient = loss.backward();
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    optimizer.step(parameters);
    return value;
  };
  return {
    initial,
    train: (iterations) => Array.from({ length: iterations }, step),
    testAccuracy: () => accuracy(forward(problem.test.x), problem.test.y),
    dispose: () => {},
  };
}

/** Kit [4, 1, 3, 3], [4], [64, 32], [32], [32, 10], [10] in NCHW flatten order → NHWC layouts. */
function toChannelsLast(initial: readonly Tensor[]): { filter: Float32Array; w1: Float32Array } {
  const [conv, , w1] = initial;
  const filter = new Float32Array(36);
  for (let o = 0; o < 4; o++)
    for (let m = 0; m < 3; m++)
      for (let n = 0; n < 3; n++) filter[(m * 3 + n) * 4 + o] = conv.data[(o * 3 + m) * 3 + n];
  const w1Last = new Float32Array(64 * 32);
  for (let c = 0; c < 4; c++)
    for (let h = 0; h < 4; h++)
      for (let w = 0; w < 4; w++)
        for (let j = 0; j < 32; j++) w1Last[((h * 4 + w) * 4 + c) * 32 + j] = w1.data[(c * 16 + h * 4 + w) * 32 + j];
  return { filter, w1: w1Last };
}

/** The same network in TensorFlow.js on its active backend (float32, NHWC, optimizer.minimize). */
export function tfjsDigitsCnn(tf: Tfjs, problem: DigitsCnnProblem, initial: readonly Tensor[]): CnnTrainer {
  const n = problem.train.labels.length;
  // With one channel, NCHW [n, 1, 8, 8] and NHWC [n, 8, 8, 1] hold the same numbers in the same order.
  const xs = tf.tensor4d(Float32Array.from(problem.train.x.data), [n, 8, 8, 1]);
  const ys = tf.tensor2d(Float32Array.from(problem.train.y.data), [n, 10]);
  const { filter, w1 } = toChannelsLast(initial);
  const variables: Variable[] = [
    tf.variable(tf.tensor4d(filter, [3, 3, 1, 4])),
    tf.variable(tf.tensor1d(Float32Array.from(initial[1].data))),
    tf.variable(tf.tensor2d(w1, [64, 32])),
    tf.variable(tf.tensor1d(Float32Array.from(initial[3].data))),
    tf.variable(tf.tensor2d(Float32Array.from(initial[4].data), [32, 10])),
    tf.variable(tf.tensor1d(Float32Array.from(initial[5].data))),
  ];
  const [f, b, w1v, b1, w2, b2] = variables;
  const optimizer = tf.train.adam(problem.learningRate, 0.9, 0.999, 1e-8);
  const logits = (x: Tensor4D) => {
    const conv = tf.relu(tf.add(tf.conv2d(x, f as unknown as Tensor4D, 1, 'same'), b));
    const pooled = tf.maxPool(conv as Tensor4D, 2, 2, 'valid');
    const hidden = tf.relu(tf.add(tf.matMul(tf.reshape(pooled, [x.shape[0], 64]), w1v), b1));
    return tf.add(tf.matMul(hidden, w2), b2);
  };
  let next = 0;
  const step = (): number => {
    const order = tf.tensor1d(Int32Array.from(problem.batches[next++ % problem.batches.length]), 'int32');
    const xb = tf.gather(xs, order) as Tensor4D;
    const yb = tf.gather(ys, order);
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, logits(xb)) as Scalar, true, variables);
    const value = cost ? cost.dataSync()[0] : NaN;
    tf.dispose([order, xb, yb, cost ?? []]);
    return value;
  };
  return {
    train: (iterations) => Array.from({ length: iterations }, step),
    testAccuracy: () =>
      tf.tidy(() => {
        const predicted = logits(
          tf.tensor4d(Float32Array.from(problem.test.x.data), [problem.test.labels.length, 8, 8, 1]),
        )
          .argMax(1)
          .dataSync();
        return problem.test.labels.filter((label, i) => predicted[i] === label).length / problem.test.labels.length;
      }),
    dispose: () => {
      tf.dispose([xs, ys, ...variables]);
      optimizer.dispose();
    },
  };
}

/**
 * The same network in ConvNetJS 0.3 (float64, one example at a time, as ConvNetJS trains). Its
 * Trainer has no Adam, so the step below applies Adam to `getParamsAndGrads()` once per batch,
 * with the gradients averaged over the batch like the others.
 */
export function convnetjsDigitsCnn(problem: DigitsCnnProblem, initial: readonly Tensor[]): CnnTrainer {
  const convnetjs = createRequire(import.meta.url)('convnetjs');
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 8, out_sy: 8, out_depth: 1 },
    { type: 'conv', sx: 3, filters: 4, stride: 1, pad: 1, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 32, activation: 'relu' },
    { type: 'softmax', num_classes: 10 },
  ]);
  // Layers: 0 input, 1 conv, 2 relu, 3 pool, 4 fc, 5 relu, 6 fc, 7 softmax. Vol index ((sx·y)+x)·depth+d.
  const [conv, convBias, w1, b1, w2, b2] = initial;
  for (let o = 0; o < 4; o++) {
    for (let m = 0; m < 3; m++)
      for (let n = 0; n < 3; n++) net.layers[1].filters[o].w[m * 3 + n] = conv.data[(o * 3 + m) * 3 + n];
    net.layers[1].biases.w[o] = convBias.data[o];
  }
  for (let j = 0; j < 32; j++) {
    for (let c = 0; c < 4; c++)
      for (let h = 0; h < 4; h++)
        for (let w = 0; w < 4; w++)
          net.layers[4].filters[j].w[(h * 4 + w) * 4 + c] = w1.data[(c * 16 + h * 4 + w) * 32 + j];
    net.layers[4].biases.w[j] = b1.data[j];
  }
  for (let k = 0; k < 10; k++) {
    for (let j = 0; j < 32; j++) net.layers[6].filters[k].w[j] = w2.data[j * 10 + k];
    net.layers[6].biases.w[k] = b2.data[k];
  }
  const volume = (x: Tensor, i: number) => {
    const v = new convnetjs.Vol(8, 8, 1, 0);
    v.w.set(x.data.subarray(i * 64, (i + 1) * 64));
    return v;
  };
  const trainVols = problem.train.labels.map((_, i) => volume(problem.train.x, i));
  const testVols = problem.test.labels.map((_, i) => volume(problem.test.x, i));
  const moments = new Map<Float64Array, [Float64Array, Float64Array]>();
  let k = 0;
  let next = 0;
  const step = (): number => {
    const indices = problem.batches[next++ % problem.batches.length];
    let total = 0;
    for (const i of indices) {
      net.forward(trainVols[i], true);
      total += net.backward(problem.train.labels[i]);
    }
    k++;
    for (const { params, grads } of net.getParamsAndGrads() as { params: Float64Array; grads: Float64Array }[]) {
      const [m, v] = moments.get(params) ?? [new Float64Array(params.length), new Float64Array(params.length)];
      moments.set(params, [m, v]);
      for (let j = 0; j < params.length; j++) {
        const g = grads[j] / indices.length;
        m[j] = 0.9 * m[j] + 0.1 * g;
        v[j] = 0.999 * v[j] + 0.001 * g * g;
        params[j] -= (problem.learningRate * (m[j] / (1 - 0.9 ** k))) / (Math.sqrt(v[j] / (1 - 0.999 ** k)) + 1e-8);
        grads[j] = 0;
      }
    }
    return total / indices.length;
  };
  return {
    train: (iterations) => Array.from({ length: iterations }, step),
    testAccuracy: () =>
      testVols.filter((vol, i) => {
        const probabilities = Array.from(net.forward(vol, false).w as Float64Array);
        return probabilities.indexOf(Math.max(...probabilities)) === problem.test.labels[i];
      }).length / testVols.length,
    dispose: () => {},
  };
}
