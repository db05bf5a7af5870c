import { describe, expect, it } from 'vitest';
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
import { accuracy, DataLoader, Rng, type Layer } from '../../framework/index.js';
import { digitsSplit } from '../helpers/cnn-doubles.js';

/**
 * The exercise's goal, end to end with your own components (Exercise 1's layers included):
 * Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → FC(64→32) → ReLU → FC(32→10) → SoftMax,
 * cross-entropy, Adam, He weights and 0.1 biases. A failure here with every component test green
 * points at how the parts are put together (shapes, initialisation, the training loop below).
 */
function trainDigitsCnn(seed: number, iterations: number): { accuracy: number; losses: number[] } {
  const rng = new Rng(seed);
  const { train, test } = digitsSplit();
  const layers: Layer[] = [
    new Conv({ inChannels: 1, outChannels: 4, kernelSize: [3, 3], padding: 'same', rng }),
    new ReLU(),
    new MaxPool({ kernelSize: [2, 2], stride: 2 }),
    new Flatten(),
    new FullyConnected(64, 32, { rng }),
    new ReLU(),
    new FullyConnected(32, 10, { rng }),
    new SoftMax(),
  ];
  for (const layer of layers) layer.initialize?.(new He(), new Constant(0.1), rng);
  const loss = new CrossEntropyLoss();
  const optimizer = new Adam({ lr: 0.01 });
  const parameters = layers.flatMap((layer) => layer.parameters());
  const loader = new DataLoader(train, { batchSize: 32, rng });
  const losses: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const batch = loader.next();
    optimizer.zeroGrad(parameters);
    let output = batch.x;
    for (const layer of layers) output = layer.forward(output);
    losses.push(loss.forward(output, batch.y));
    let gradient = loss.backward();
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    optimizer.step(parameters);
  }
  let output = test.x;
  for (const layer of layers) output = layer.forward(output);
  const result = accuracy(output, test.y);
  return { accuracy: result, losses };
}

describe('ex2 DigitsCNN', () => {
  describe('training', () => {
    it('Conv → ReLU → MaxPool → Flatten → FC → ReLU → FC → SoftMax with Adam reaches ≥ 0.90 on the held-out third of Digits, deterministically', () => {
      const trained = trainDigitsCnn(1, 200);
      expect(trained.accuracy, 'Digits CNN test accuracy (seed 1, 200 Adam steps of batch 32)').toBeGreaterThanOrEqual(0.9);
      const again = trainDigitsCnn(1, 10);
      expect(again.losses, 'the same seed must give the same loss curve (no Math.random, no hidden state)').toEqual(trained.losses.slice(0, 10));
    });
  });
});
