import { Conv } from '#impl/layers/conv.js';
import { MaxPool } from '#impl/layers/max-pool.js';
import { Flatten } from '#impl/layers/flatten.js';
import { Adam } from '#impl/optimizers/adam.js';
import { He } from '#impl/initializers/he.js';
import { Constant } from '#impl/initializers/constant.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { ReLU } from '#impl/activations/relu.js';
import { SoftMax } from '#impl/activations/softmax.js';
import { CrossEntropyLoss } from '#impl/losses/cross-entropy-loss.js';
import { Rng } from '../../../framework/random/rng.js';
import type { Layer } from '../../../framework/nn/layer.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { strokeImages } from '../../case-doubles.js';
import { gradientData, numberData, parameterData, publicCases, tensorData } from '../../case-api.js';

/**
 * The exercise's goal end to end with the student's own components (Exercise 1's included), as in
 * tests/ex2/digits-cnn.test.ts: Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → FC(64→32) → ReLU
 * → FC(32→4) → SoftMax, cross-entropy and Adam. The Digits files are not in the sandbox, so the data are
 * stroke images of four classes (case-doubles.ts).
 */
export function digitsCnn(rng: Rng): Layer[] {
  return [
    new Conv({ inChannels: 1, outChannels: 4, kernelSize: [3, 3], padding: 'same', rng }),
    new ReLU(),
    new MaxPool({ kernelSize: [2, 2], stride: 2 }),
    new Flatten(),
    new FullyConnected(64, 32, { rng }),
    new ReLU(),
    new FullyConnected(32, 4, { rng }),
    new SoftMax(),
  ];
}

/** One training step; returns the loss. */
function step(layers: Layer[], loss: CrossEntropyLoss, optimizer: Adam, x: Tensor, y: Tensor): number {
  const parameters = layers.flatMap((layer) => layer.parameters());
  optimizer.zeroGrad(parameters);
  let output = x;
  for (const layer of layers) output = layer.forward(output);
  const value = numberData(loss.forward(output, y), 'CrossEntropyLoss.forward');
  let gradient = loss.backward();
  for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
  optimizer.step(parameters);
  return value;
}

/** Trains with He weights and 0.1 biases, then predicts the class of held-out images. */
export function trainAndPredict(rng: Rng, iterations: number): { predictions: number[]; labels: number[] } {
  // Separate streams: how many numbers the student's initializers draw must not change the images.
  const [initRng, dataRng, testRng] = [rng.fork(), rng.fork(), rng.fork()];
  const layers = digitsCnn(initRng);
  for (const layer of layers) layer.initialize?.(new He(), new Constant(0.1), initRng);
  const loss = new CrossEntropyLoss();
  const optimizer = new Adam({ lr: 0.02 });
  for (let iteration = 0; iteration < iterations; iteration++) {
    const batch = strokeImages(dataRng, 8);
    step(layers, loss, optimizer, batch.x, batch.y);
  }
  const test = strokeImages(testRng, 60);
  let output = test.x;
  for (const layer of layers) output = layer.forward(output);
  const probabilities = tensorData(output, 'SoftMax.forward');
  const predictions = test.labels.map((_, n) => {
    const row = probabilities.data.slice(n * 4, n * 4 + 4);
    return row.indexOf(Math.max(...row));
  });
  return { predictions, labels: test.labels };
}

/** Forward, loss, backward and one Adam step of the whole network: every value and gradient along the way. */
export function oneStep(layers: Layer[], x: Tensor, y: Tensor) {
  const loss = new CrossEntropyLoss();
  let output = x;
  for (const layer of layers) output = layer.forward(output);
  const probabilities = tensorData(output, 'DigitsCNN forward');
  const value = numberData(loss.forward(output, y), 'CrossEntropyLoss.forward');
  let gradient = loss.backward();
  for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
  const gradients = layers.map((layer) => gradientData(layer.parameters(), `${layer.name}.backward`));
  new Adam({ lr: 0.01 }).step(layers.flatMap((layer) => layer.parameters()));
  return { probabilities, loss: value, gradients, parameters: layers.map((layer) => parameterData(layer.parameters(), 'Adam.step')) };
}

export default publicCases('ex2', 'DigitsCNN', [
  {
    id: 'digits-cnn-one-step-fixed-weights',
    title: 'one Adam step of the whole CNN from fixed weights: probabilities, loss, every gradient and the updated parameters',
    run: () => {
      const rng = new Rng(3);
      const layers = digitsCnn(new Rng(1));
      for (const layer of layers) for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.3));
      const { x, y } = strokeImages(new Rng(4), 6);
      return oneStep(layers, x, y);
    },
  },
  {
    id: 'digits-cnn-deterministic-losses',
    title: 'the same seed gives the same loss curve (no Math.random, no hidden state): 4 steps twice',
    compare: { kind: 'exact' },
    run: () => {
      const curve = (): number[] => {
        const rng = new Rng(1);
        const layers = digitsCnn(rng);
        for (const layer of layers) layer.initialize?.(new He(), new Constant(0.1), rng);
        const loss = new CrossEntropyLoss();
        const optimizer = new Adam({ lr: 0.01 });
        return Array.from({ length: 4 }, () => {
          const batch = strokeImages(rng, 8);
          return step(layers, loss, optimizer, batch.x, batch.y);
        });
      };
      const first = curve();
      const second = curve();
      return { steps: first.length, differences: first.filter((v, i) => v !== second[i]).length };
    },
  },
  {
    id: 'digits-cnn-learns-strokes',
    title: 'trained for 40 Adam steps (batch 8, He weights, 0.1 biases) it classifies held-out stroke images with accuracy ≥ 0.85',
    weight: 2,
    compare: { kind: 'accuracy', threshold: 0.85 },
    run: () => trainAndPredict(new Rng(1), 40),
  },
]);
