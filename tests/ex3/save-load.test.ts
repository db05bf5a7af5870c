import { describe, expect, it } from 'vitest';
import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Dropout } from '#impl/layers/dropout.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import { loadDigits, Rng, trainTestSplit, type Layer, type SavedWeights } from '../../framework/index.js';
import { Dense, Flattener, Rectifier } from '../helpers/test-layers.js';
import { PlainSgd } from '../helpers/test-optimizers.js';
import { LogitsCrossEntropy } from '../helpers/test-training.js';

/**
 * A network with BatchNorm in both layouts and Dropout: image BatchNorm → flatten → dense →
 * BatchNorm → ReLU → Dropout → dense. The dense, flatten and ReLU layers are test doubles.
 */
function buildNetwork(seed: number): NeuralNetwork {
  const rng = new Rng(seed);
  const network = new NeuralNetwork({ optimizer: new PlainSgd({ lr: 0.1 }), loss: new LogitsCrossEntropy(), rng });
  const layers: Layer[] = [new BatchNorm(1), new Flattener(), new Dense(64, 32, rng), new BatchNorm(32), new Rectifier(), new Dropout(0.3, { rng: new Rng(seed + 1) }), new Dense(32, 10, rng)];
  for (const layer of layers) network.append(layer);
  return network;
}

describe('ex3 SaveAndLoad', () => {
  it('a trained network saved as JSON and loaded into a fresh one predicts exactly the same (weights and running statistics)', () => {
    const { train, test } = trainTestSplit(loadDigits({ layout: 'image' }), { testFraction: 0.3, rng: new Rng(1) });
    const trained = buildNetwork(2);
    trained.fit({ data: train, iterations: 150, batchSize: 32 });
    const text = JSON.stringify(trained.toJSON());
    const saved = JSON.parse(text) as SavedWeights;

    const bufferLayers = saved.layers.filter((layer) => Object.keys(layer.buffers).length > 0);
    expect(bufferLayers.map((layer) => Object.keys(layer.buffers).sort()), 'the saved file holds runningMean and runningVar for both BatchNorm layers').toEqual([
      ['runningMean', 'runningVar'],
      ['runningMean', 'runningVar'],
    ]);
    expect(bufferLayers[1].buffers.runningMean.data.some((v) => v !== 0), 'training must have moved the running mean away from 0 before it is saved').toBe(true);

    const restored = buildNetwork(99);
    const expected = trained.predict(test.x);
    expect(restored.predict(test.x).equals(expected), 'a fresh network should predict differently before loading (else this test proves nothing)').toBe(false);
    restored.fromJSON(JSON.parse(text));
    const actual = restored.predict(test.x);
    const firstDifference = actual.data.findIndex((v, i) => v !== expected.data[i]);
    expect(firstDifference, `after loading, prediction element ${firstDifference} differs: ${actual.data[firstDifference]} vs ${expected.data[firstDifference]}; BatchNorm.buffers() must return the running statistics it uses in eval`).toBe(-1);
  });

  it('the running statistics are part of what is saved: without them the loaded network predicts differently', () => {
    const { train, test } = trainTestSplit(loadDigits({ layout: 'image' }), { testFraction: 0.3, rng: new Rng(3) });
    const trained = buildNetwork(4);
    trained.fit({ data: train, iterations: 60, batchSize: 32 });
    const saved = JSON.parse(JSON.stringify(trained.toJSON())) as SavedWeights;
    const restored = buildNetwork(5);
    restored.fromJSON(saved);
    expect(restored.predict(test.x).equals(trained.predict(test.x)), 'predictions after loading the complete file').toBe(true);
    for (const layer of restored.layers) {
      if (layer instanceof BatchNorm) {
        layer.runningMean.data.fill(0);
        layer.runningVar.data.fill(1);
      }
    }
    expect(restored.predict(test.x).equals(trained.predict(test.x)), 'with the running statistics reset to 0 and 1 the predictions must change (eval uses the running statistics)').toBe(false);
    for (const layer of saved.layers) layer.buffers = {};
    expect(() => restored.fromJSON(saved), 'a file without the running statistics must be rejected').toThrow(/runningMean|runningVar/);
  });
});
