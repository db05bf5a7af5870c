import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Dropout } from '#impl/layers/dropout.js';
import { Conv } from '#impl/layers/conv.js';
import { MaxPool } from '#impl/layers/max-pool.js';
import { Flatten } from '#impl/layers/flatten.js';
import { Rng } from '../../../framework/random/rng.js';
import type { Layer } from '../../../framework/nn/layer.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { AdamDouble, LinearDouble, ReluDouble, SoftmaxCrossEntropyDouble, strokeImages } from '../../case-doubles.js';
import { gradientData, publicCases, tensorData } from '../../case-api.js';

/**
 * Exercise 3 as a whole (tests/ex3/training.test.ts): a LeNet-style block with the student's Conv,
 * BatchNorm, MaxPool, Flatten and Dropout; the ReLU, the classifier, the loss and the optimizer are
 * doubles. The Digits files are not in the sandbox, so the data are stroke images (case-doubles.ts).
 */
function lenet(rng: Rng): Layer[] {
  const conv = new Conv({ inChannels: 1, outChannels: 4, kernelSize: [3, 3], rng: new Rng(1) });
  conv.weight.assign(rng.normalTensor([4, 1, 3, 3], 0, Math.sqrt(2 / 9)));
  conv.bias.assign(rng.normalTensor([4], 0, 0.1));
  return [
    conv,
    new BatchNorm(4),
    new ReluDouble(),
    new MaxPool({ kernelSize: [2, 2] }),
    new Flatten(),
    new Dropout(0.3, { rng: rng.fork() }),
    new LinearDouble(rng.normalTensor([64, 4], 0, 0.125), rng.normalTensor([4], 0, 0.01)),
  ];
}

const forward = (layers: Layer[], x: Tensor): Tensor => layers.reduce((output, layer) => layer.forward(output), x);

function setTraining(layers: Layer[], training: boolean): void {
  for (const layer of layers) layer.training = training;
}

/** Trains with Adam (a double) on stroke images, then predicts held-out ones in eval mode (running statistics, no dropout). */
export function trainAndPredict(rng: Rng, iterations: number): { predictions: number[]; labels: number[] } {
  const [dataRng, testRng] = [rng.fork(), rng.fork()];
  const layers = lenet(rng);
  const loss = new SoftmaxCrossEntropyDouble();
  const optimizer = new AdamDouble(0.02);
  const parameters = layers.flatMap((layer) => layer.parameters());
  for (let iteration = 0; iteration < iterations; iteration++) {
    const batch = strokeImages(dataRng, 8);
    optimizer.zeroGrad(parameters);
    loss.forward(forward(layers, batch.x), batch.y);
    let gradient = loss.backward();
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    optimizer.step(parameters);
  }
  setTraining(layers, false);
  const test = strokeImages(testRng, 60);
  const scores = tensorData(forward(layers, test.x), 'LeNet forward (eval)');
  const predictions = test.labels.map((_, n) => {
    const row = scores.data.slice(n * 4, n * 4 + 4);
    return row.indexOf(Math.max(...row));
  });
  return { predictions, labels: test.labels };
}

/**
 * Three training forwards (they move BatchNorm's running statistics; Dropout comes after it, so its
 * masks do not), then eval forward and backward: deterministic, whatever masks the Dropout drew.
 */
export function evalPhase(rng: Rng) {
  const layers = lenet(rng);
  for (let i = 0; i < 3; i++) forward(layers, strokeImages(rng, 8).x);
  const batchNorm = layers[1] as BatchNorm;
  const runningStatistics = { mean: tensorData(batchNorm.runningMean, 'BatchNorm.runningMean'), variance: tensorData(batchNorm.runningVar, 'BatchNorm.runningVar') };
  setTraining(layers, false);
  const x = strokeImages(rng, 5).x;
  const output = tensorData(forward(layers, x), 'LeNet forward (eval)');
  const again = tensorData(forward(layers, x), 'LeNet forward (eval)');
  let gradient = rng.normalTensor([5, 4]);
  for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
  return {
    runningStatistics,
    output,
    repeatDifferences: output.data.filter((v, i) => v !== again.data[i]).length,
    gradInput: tensorData(gradient, 'LeNet backward (eval)'),
    gradients: layers.map((layer) => gradientData(layer.parameters(), `${layer.name}.backward`)),
    runningStatisticsAfterEval: { mean: tensorData(batchNorm.runningMean, 'BatchNorm.runningMean'), variance: tensorData(batchNorm.runningVar, 'BatchNorm.runningVar') },
  };
}

export default publicCases('ex3', 'RegularizationTraining', [
  {
    id: 'regularization-training-eval-phase',
    title: 'Conv → BatchNorm → ReLU → MaxPool → Flatten → Dropout → dense: training forwards move the running statistics; eval is deterministic and leaves them alone',
    run: () => evalPhase(new Rng(2)),
  },
  {
    id: 'regularization-training-learns-strokes',
    title: 'the same network trained with Adam (a double) for 60 steps of 8 images classifies held-out stroke images in eval mode with accuracy ≥ 0.75',
    weight: 2,
    compare: { kind: 'accuracy', threshold: 0.75 },
    run: () => trainAndPredict(new Rng(4), 60),
  },
]);
