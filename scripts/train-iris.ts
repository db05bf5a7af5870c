/**
 * The kit's main job for now: train the Exercise 1 network (4 → 10 → 3, ReLU, SoftMax, cross-entropy,
 * SGD) on Iris from the reference solution, printing the loss as it falls and the test accuracy.
 *
 *   npm run train            (or: npx tsx scripts/train-iris.ts --iterations 2000 --seed 7)
 */
import { parseArgs } from 'node:util';
import {
  accuracy,
  confusionMatrix,
  formatConfusionMatrix,
  loadIris,
  Rng,
  standardizer,
  trainTestSplit,
} from '../framework/index.js';
import { buildIrisNetwork } from './iris-network.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1500' },
    seed: { type: 'string', default: '1' },
    lr: { type: 'string', default: '0.1' },
  },
});
const iterations = Number(values.iterations);
const seed = Number(values.seed);
const lr = Number(values.lr);
for (const [name, value] of Object.entries({ iterations, seed, lr })) {
  if (!Number.isFinite(value)) {
    console.error(`train-iris: --${name} must be a number, got '${values[name as keyof typeof values]}'`);
    process.exit(2);
  }
}

const rng = new Rng(seed);
const iris = loadIris();
const { train, test } = trainTestSplit(iris, { rng, testFraction: 1 / 3 });
const normalize = standardizer(train.x);
const network = buildIrisNetwork({ rng, lr });

console.log(
  `Training 4 → 10 → 3 on Iris: ${train.x.shape[0]} training and ${test.x.shape[0]} test flowers, seed ${seed}, lr ${lr}`,
);
const every = Math.max(1, Math.floor(iterations / 10));
const losses = network.fit({
  data: { x: normalize(train.x), y: train.y },
  iterations,
  batchSize: 100,
  onIteration: (i, loss) => {
    if (i % every === 0 || i === iterations - 1)
      console.log(`iteration ${String(i + 1).padStart(5)}  loss ${loss.toFixed(4)}`);
  },
});
const prediction = network.predict(normalize(test.x));
console.log(
  `\nfinal training loss ${losses.at(-1)?.toFixed(4)}; test accuracy ${accuracy(prediction, test.y).toFixed(3)}`,
);
console.log('\nconfusion matrix on the test set (rows: true class)');
console.log(formatConfusionMatrix(confusionMatrix(prediction, test.y), iris.classNames));
