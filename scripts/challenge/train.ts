/**
 * `npm run challenge:train`: trains the challenge model (Exercise 7) of an implementation on the
 * 10,000 Fashion-MNIST training images with that implementation's own layers, loss, optimizer and
 * `NeuralNetwork.fit`, prints each epoch's mean training loss and validation accuracy, and writes the
 * weights (`network.toJSON()`) to challenge/weights.json of that implementation.
 *
 *   npm run challenge:train                                   the kit's reference (solutions/)
 *   DLKIT_IMPL=exercises npm run challenge:train              your model and your layers
 *   npm run challenge:train -- --epochs 2 --seed 3 --out my-weights.json --limit 2000
 *
 * Options: --epochs (default: the model file's `trainingEpochs()`, else 3), --seed (initial
 * weights, shuffling, dropout; default 7), --out (default <implementation>/challenge/weights.json),
 * --limit (train on the first n images only: a quick try), --batch-size (default 64).
 * Conv runs on the implementation's im2col kernels when they are implemented (Exercise 2's extension),
 * else on the plain loops. Times are wall clock and this process's CPU time (a shared machine
 * slows the first, not the second).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import {
  countParameters,
  loadFashionMnist,
  predictScores,
  withKernels,
  type KernelSet,
} from '../../framework/index.js';
import { challengeSpec, fastConvKernelsOf, loadImplementation, type ChallengeNeuralNetwork } from './implementation.js';
import { validationAccuracy } from './validation-accuracy.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    seed: { type: 'string', default: '7' },
    out: { type: 'string' },
    limit: { type: 'string' },
    'batch-size': { type: 'string', default: '64' },
  },
});

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`challenge:train: --${name} must be a positive integer, got '${text}'`);
    process.exit(2);
  }
  return value;
}

const implementation = await loadImplementation();
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`challenge:train: --seed must be an integer, got '${values.seed}'`);
  process.exit(2);
}
const epochs = positiveInteger('epochs', values.epochs, implementation.trainingEpochs?.() ?? 3);
const batchSize = positiveInteger('batch-size', values['batch-size'], 64);
const out = values.out ? path.resolve(values.out) : implementation.weightsFile;

const train = loadFashionMnist('train', values.limit ? { limit: positiveInteger('limit', values.limit, 0) } : {});
const validation = loadFashionMnist('validation');
const network = implementation.buildModel(seed);
const parameters = countParameters(network);
const caps = challengeSpec().caps;
const fast = await fastConvKernelsOf(implementation);
const inScope = <T>(body: () => T): T => (fast ? withKernels(fast as KernelSet, body) : body());

console.log(
  `Training the challenge model of ${implementation.label}: ${parameters.toLocaleString('en')} parameters (cap ${caps.parameters.toLocaleString('en')}), ${epochs} epochs of ${train.x.shape[0]} images, batches of ${batchSize}, seed ${seed}`,
);
console.log(
  fast
    ? 'Conv runs on your im2col kernels (fast path).'
    : 'Conv runs on the plain loops (implement the im2col extension of Exercise 2 for a faster run).',
);
if (parameters > caps.parameters)
  console.warn(
    `Warning: ${parameters} parameters exceed the cap of ${caps.parameters}: the grader will give this model 0.`,
  );

const steps = Math.ceil(train.x.shape[0] / batchSize);
const bar = new cliProgress.SingleBar(
  {
    format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} batches | loss {loss} | {eta_formatted} left',
    hideCursor: true,
    stream: process.stderr,
    noTTYOutput: false,
  },
  cliProgress.Presets.shades_classic,
);
const startCpu = process.cpuUsage();
const startWall = performance.now();
const cpuSeconds = (): number => {
  const used = process.cpuUsage(startCpu);
  return (used.user + used.system) / 1e6;
};

for (let epoch = 1; epoch <= epochs; epoch++) {
  let total = 0;
  bar.start(steps, 0, { epoch, epochs, loss: '-' });
  const losses = inScope(() =>
    (network as ChallengeNeuralNetwork).fit({
      data: train,
      iterations: steps,
      batchSize,
      onIteration: (iteration, loss) => {
        total += loss;
        bar.update(iteration + 1, { loss: (total / (iteration + 1)).toFixed(4) });
      },
    }),
  );
  bar.stop();
  const meanLoss = losses.reduce((sum, loss) => sum + loss, 0) / losses.length;
  if (!Number.isFinite(meanLoss)) {
    console.error(
      `epoch ${epoch}: the training loss is ${meanLoss}: lower the learning rate, check your loss and layers (npm test), then try again. No weights written.`,
    );
    process.exit(1);
  }
  const accuracy = validationAccuracy(
    inScope(() => predictScores(network, validation.x)),
    validation.labels,
  );
  console.log(
    `epoch ${epoch}/${epochs}: training loss ${meanLoss.toFixed(4)}, validation accuracy ${(accuracy * 100).toFixed(2)}% | ${cpuSeconds().toFixed(1)} s CPU, ${((performance.now() - startWall) / 1000).toFixed(1)} s wall`,
  );
}

const text = JSON.stringify(network.toJSON());
writeFileSync(out, text);
const bytes = Buffer.byteLength(text);
console.log(
  `Wrote ${path.relative(process.cwd(), out) || out} (${(bytes / 1024 / 1024).toFixed(2)} MB, cap ${(caps.weightsBytes / 1024 / 1024).toFixed(0)} MB). Check it with \`npm run challenge:evaluate\`.`,
);
if (bytes > caps.weightsBytes)
  console.warn(
    `Warning: the weights file exceeds the cap of ${caps.weightsBytes} bytes: the grader will give this model 0.`,
  );
