import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Dropout } from '#impl/layers/dropout.js';
import { loadWeights, saveWeights } from '../../../framework/io/weights.js';
import type { Layer } from '../../../framework/nn/layer.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { FlattenDouble, LinearDouble, ReluDouble, strokeImages } from '../../case-doubles.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

/** BatchNorm on images → flatten → dense → BatchNorm → ReLU → Dropout → dense, random sizes and weights. */
function network(rng: Rng, hidden: number): Layer[] {
  return [
    new BatchNorm(1, { momentum: 0.3 }),
    new FlattenDouble(),
    new LinearDouble(rng.normalTensor([64, hidden], 0, 0.2), rng.normalTensor([hidden], 0, 0.1)),
    new BatchNorm(hidden, { momentum: 0.3 }),
    new ReluDouble(),
    new Dropout(0.5, { rng: rng.fork() }),
    new LinearDouble(rng.normalTensor([hidden, 4], 0, 0.5), rng.normalTensor([4], 0, 0.1)),
  ];
}

const forward = (layers: Layer[], x: Tensor): Tensor => layers.reduce((output, layer) => layer.forward(output), x);

export default hiddenCases('ex3', 'SaveAndLoad', [
  {
    id: 'save-and-load-hidden-round-trip',
    title: 'running statistics after random training forwards: saved, loaded into another network, its eval predictions',
    points: 3,
    run: (rng) => {
      const hidden = intIn(rng, 3, 10);
      const source = network(rng, hidden);
      for (let i = 0; i < intIn(rng, 2, 6); i++) forward(source, strokeImages(rng, intIn(rng, 4, 12)).x);
      const restored = network(rng, hidden);
      forward(restored, strokeImages(rng, 8).x);
      loadWeights(restored, JSON.parse(JSON.stringify(saveWeights(source))));
      for (const layer of restored) layer.training = false;
      const buffers = restored.filter((layer): layer is BatchNorm => layer instanceof BatchNorm).map((layer) => ({ mean: tensorData(layer.runningMean, 'BatchNorm.runningMean'), variance: tensorData(layer.runningVar, 'BatchNorm.runningVar') }));
      return { buffers, predictions: tensorData(forward(restored, strokeImages(rng, 6).x), 'eval forward after loading') };
    },
  },
]);
