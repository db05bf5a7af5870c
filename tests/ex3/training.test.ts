import { describe, expect, it } from 'vitest';
import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Dropout } from '#impl/layers/dropout.js';
import { Conv } from '#impl/layers/conv.js';
import { MaxPool } from '#impl/layers/max-pool.js';
import { Flatten } from '#impl/layers/flatten.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import { loadDigits, Rng, trainTestSplit, type Layer } from '../../framework/index.js';
import { Dense, Rectifier } from '../helpers/test-layers.js';
import { PlainAdam, PlainSgd } from '../helpers/test-optimizers.js';
import { evalAccuracy, LogitsCrossEntropy, trainLayers } from '../helpers/test-training.js';

/**
 * Exercise 3 as a whole. The LeNet-style network uses Exercise 2's Conv, MaxPool and Flatten; the
 * optimizer, the loss, the ReLU and the classifier are test-local doubles (DESIGN §5).
 */
describe('ex3 RegularizationTraining', () => {
  it('a LeNet-style network (two conv blocks with BatchNorm, Dropout before the classifier) reaches ≥ 0.95 test accuracy on Digits', () => {
    const { train, test } = trainTestSplit(loadDigits({ layout: 'image' }), { testFraction: 0.3, rng: new Rng(1) });
    const rng = new Rng(2);
    const layers: Layer[] = [
      new Conv({ inChannels: 1, outChannels: 8, kernelSize: [3, 3], rng }),
      new BatchNorm(8),
      new Rectifier(),
      new MaxPool({ kernelSize: [2, 2] }),
      new Conv({ inChannels: 8, outChannels: 16, kernelSize: [3, 3], rng }),
      new BatchNorm(16),
      new Rectifier(),
      new MaxPool({ kernelSize: [2, 2] }),
      new Flatten(),
      new Dropout(0.3, { rng: new Rng(3) }),
      new Dense(64, 10, rng),
    ];
    trainLayers(layers, train, { optimizer: new PlainAdam({ lr: 0.005 }), iterations: 200, batchSize: 32, seed: 4 });
    const accuracy = evalAccuracy(layers, test);
    expect(accuracy, `LeNet-style network on Digits: test accuracy (eval mode) ${accuracy.toFixed(3)}, expected ≥ 0.95; check BatchNorm (both layouts, running statistics) and Dropout`).toBeGreaterThanOrEqual(0.95);
  });

  it("the network's train() and eval() switch Dropout and BatchNorm: predictions are deterministic and leave the running statistics alone", () => {
    const { train, test } = trainTestSplit(loadDigits(), { testFraction: 0.3, rng: new Rng(5) });
    const rng = new Rng(6);
    const network = new NeuralNetwork({ optimizer: new PlainSgd({ lr: 0.1 }), loss: new LogitsCrossEntropy(), rng });
    const batchNorm = new BatchNorm(32);
    const dropout = new Dropout(0.5, { rng: new Rng(7) });
    for (const layer of [new Dense(64, 32, rng), batchNorm, new Rectifier(), dropout, new Dense(32, 10, rng)]) network.append(layer);
    network.fit({ data: train, iterations: 50, batchSize: 32 });
    const running = Array.from(batchNorm.runningMean.data);
    const first = network.predict(test.x);
    expect(network.predict(test.x).equals(first), 'NeuralNetwork.predict must be deterministic (Dropout off, BatchNorm on running statistics)').toBe(true);
    expect(Array.from(batchNorm.runningMean.data), 'predict (eval mode) must not update the BatchNorm running statistics').toEqual(running);
    expect([batchNorm.training, dropout.training], 'after predict the network is back in training mode').toEqual([true, true]);
    expect(network.forward(test.x).equals(network.forward(test.x)), 'in training mode two forwards differ (new dropout masks)').toBe(false);
    network.eval();
    expect([batchNorm.training, dropout.training], 'NeuralNetwork.eval() sets training = false on every layer').toEqual([false, false]);
  });
});
