import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Dropout } from '#impl/layers/dropout.js';
import { Rng } from '../../../framework/random/rng.js';
import { loadWeights, saveWeights } from '../../../framework/io/weights.js';
import type { Layer } from '../../../framework/nn/layer.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { FlattenDouble, LinearDouble, ReluDouble, SgdDouble, SoftmaxCrossEntropyDouble, strokeImages } from '../../case-doubles.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

/**
 * As tests/ex3/save-load.test.ts, with framework/io/weights.ts in place of the student's NeuralNetwork:
 * BatchNorm on images → flatten → dense → BatchNorm → ReLU → Dropout → dense; everything but BatchNorm
 * and Dropout is a double. The weights come from `rng`, so two seeds give two different networks.
 */
function network(rng: Rng): Layer[] {
  return [
    new BatchNorm(1),
    new FlattenDouble(),
    new LinearDouble(rng.normalTensor([64, 8], 0, 0.2), rng.normalTensor([8], 0, 0.1)),
    new BatchNorm(8),
    new ReluDouble(),
    new Dropout(0.3, { rng: rng.fork() }),
    new LinearDouble(rng.normalTensor([8, 4], 0, 0.5), rng.normalTensor([4], 0, 0.1)),
  ];
}

const forward = (layers: Layer[], x: Tensor): Tensor => layers.reduce((output, layer) => layer.forward(output), x);

/** Eval-mode prediction (running statistics, no dropout); the layers go back to training afterwards. */
function predict(layers: Layer[], x: Tensor): Tensor {
  for (const layer of layers) layer.training = false;
  const output = forward(layers, x);
  for (const layer of layers) layer.training = true;
  return output;
}

const differences = (a: Tensor, b: Tensor): number => Array.from(a.data).filter((v, i) => v !== b.data[i]).length;

/** Training forwards only: BatchNorm's running statistics move, every weight stays as drawn (deterministic). */
function warmedUp(seed: number): Layer[] {
  const rng = new Rng(seed);
  const layers = network(rng);
  for (let i = 0; i < 4; i++) forward(layers, strokeImages(rng, 8).x);
  return layers;
}

export default publicCases('ex3', 'SaveAndLoad', [
  {
    id: 'save-and-load-trained-network',
    title: 'a network trained for 10 SGD steps, saved as JSON and loaded into a fresh one, predicts exactly the same in eval mode',
    compare: { kind: 'exact' },
    run: () => {
      const rng = new Rng(2);
      const trained = network(rng);
      const parameters = trained.flatMap((layer) => layer.parameters());
      const optimizer = new SgdDouble(0.1);
      const loss = new SoftmaxCrossEntropyDouble();
      for (let step = 0; step < 10; step++) {
        const batch = strokeImages(rng, 8);
        optimizer.zeroGrad(parameters);
        loss.forward(forward(trained, batch.x), batch.y);
        let gradient = loss.backward();
        for (let i = trained.length - 1; i >= 0; i--) gradient = trained[i].backward(gradient);
        optimizer.step(parameters);
      }
      const text = JSON.stringify(saveWeights(trained));
      const restored = network(new Rng(99));
      const test = strokeImages(new Rng(5), 20).x;
      const expected = predict(trained, test);
      const before = differences(predict(restored, test), expected);
      loadWeights(restored, JSON.parse(text));
      const saved = JSON.parse(text) as { layers: Array<{ buffers: Record<string, unknown> }> };
      return {
        savedBuffers: saved.layers.map((layer) => Object.keys(layer.buffers).sort()),
        differentBeforeLoading: before > 0,
        differencesAfterLoading: differences(predict(restored, test), expected),
      };
    },
  },
  {
    id: 'save-and-load-running-statistics',
    title: 'the running statistics travel with the weights: the loaded network’s eval predictions, the same after resetting them to 0 and 1, and a file without them refused',
    run: () => {
      const source = warmedUp(3);
      const saved = JSON.parse(JSON.stringify(saveWeights(source))) as ReturnType<typeof saveWeights>;
      const restored = warmedUp(4);
      loadWeights(restored, saved);
      const test = strokeImages(new Rng(6), 10).x;
      const loaded = tensorData(predict(restored, test), 'eval forward after loading');
      for (const layer of restored) {
        if (layer instanceof BatchNorm) {
          layer.runningMean.data.fill(0);
          layer.runningVar.data.fill(1);
        }
      }
      const reset = tensorData(predict(restored, test), 'eval forward with the running statistics reset');
      for (const layer of saved.layers) layer.buffers = {};
      return { loaded, reset, withoutBuffers: errorName(() => loadWeights(restored, saved)) };
    },
  },
]);
