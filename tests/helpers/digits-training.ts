import {
  DataLoader,
  Rng,
  type Initializer,
  type Layer,
  type Loss,
  type Optimizer,
  type Tensor,
} from '../../framework/index.js';
import { expect } from 'vitest';
import { labelsOf, numberData, type TensorData } from '../harness/data.js';
import { accuracyOf, fail } from '../harness/verify.js';
import { digitsSplit } from './cnn-doubles.js';

/** What a whole-network Digits training needs: the network, how to read its logits, and the student's parts. */
export interface DigitsTraining {
  /** Builds the network (its layers draw their shapes' weights from `rng`). */
  readonly build: (rng: Rng) => Layer[];
  /** The raw scores (logits) of `x`, the numbers the accuracy is computed from. */
  readonly logits: (layers: Layer[], x: Tensor) => TensorData;
  readonly loss: Loss;
  /** How a loss value that is not a number is named in the failure: `CrossEntropyLoss.forward`. */
  readonly lossForward: string;
  readonly optimizer: Optimizer;
  /** Weight and bias initializers, applied after the network is built. */
  readonly initialize: { readonly weights: Initializer; readonly biases: Initializer };
  readonly batchSize: number;
}

/**
 * The end-to-end Digits training of Exercise 2's DigitsCNN and Exercise 6's ResidualCNN: the network
 * built from `seeds.init`, its weights and biases initialized from the same generator, then
 * `iterations` steps on mini-batches of the training two thirds of Digits (the stratified split of seed
 * 7), in the order `seeds.order` draws. Returns the loss of every step and, unless `evaluate` is false,
 * the logits on the held-out third before and after training.
 */
export function trainOnDigits(
  spec: DigitsTraining,
  seeds: { init: number; order: number },
  iterations: number,
  evaluate = true,
) {
  const { train, test } = digitsSplit();
  const init = new Rng(seeds.init);
  const layers = spec.build(init.fork());
  for (const layer of layers) layer.initialize?.(spec.initialize.weights, spec.initialize.biases, init);
  const before = evaluate ? spec.logits(layers, test.x) : undefined;
  const parameters = layers.flatMap((layer) => layer.parameters());
  const loader = new DataLoader(train, { batchSize: spec.batchSize, rng: new Rng(seeds.order) });
  const losses: number[] = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const batch = loader.next();
    spec.optimizer.zeroGrad(parameters);
    let output = batch.x;
    for (const layer of layers) output = layer.forward(output);
    losses.push(numberData(spec.loss.forward(output, batch.y), spec.lossForward));
    let gradient = spec.loss.backward();
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    spec.optimizer.step(parameters);
  }
  return { before, after: evaluate ? spec.logits(layers, test.x) : undefined, labels: labelsOf(test.y), losses };
}

/**
 * The `run` of a Digits training check: `iterations` steps from seeds drawn from the check's `rng`,
 * then `repeatSteps` steps of a fresh network from the same seeds, whose losses must be the first ones
 * again (no Math.random, no hidden state carried between networks).
 */
export function trainTwiceOnDigits(spec: () => DigitsTraining, rng: Rng, iterations: number, repeatSteps: number) {
  const seeds = { init: rng.nextUint32(), order: rng.nextUint32() };
  const trained = trainOnDigits(spec(), seeds, iterations);
  const again = trainOnDigits(spec(), seeds, repeatSteps, false);
  return {
    before: trained.before!,
    after: trained.after!,
    labels: trained.labels,
    losses: trained.losses,
    again: again.losses,
  };
}

/**
 * The `verify` of a Digits training check: held-out accuracy (argmax of the logits) at least `threshold`
 * and 0.4 above the untrained network's, the mean loss of the last 10 steps under half that of the
 * first 10, and the same loss curve from the same seeds. `network` names the model in the messages and
 * `look` says what to look at when every component check is green.
 */
export function verifyLearnsDigits(
  data: ReturnType<typeof trainTwiceOnDigits>,
  threshold: number,
  network: string,
  look: string,
): void {
  const { before, after, labels, losses, again } = data;
  const untrained = accuracyOf(before, labels);
  const accuracy = accuracyOf(after, labels);
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const [first, last] = [mean(losses.slice(0, 10)), mean(losses.slice(-10))];
  const curve = `the mean loss went from ${first.toFixed(4)} (first 10 steps) to ${last.toFixed(4)} (last 10)`;
  if (!(accuracy >= threshold)) {
    fail(
      `held-out accuracy on Digits of the trained ${network} is ${accuracy.toFixed(3)}, expected at least ${threshold} (untrained: ${untrained.toFixed(3)}); ${curve}. With every component check green, look at how the parts fit: ${look}.`,
    );
  }
  if (!(accuracy - untrained >= 0.4))
    fail(
      `held-out accuracy ${accuracy.toFixed(3)} is not clearly above the untrained network's ${untrained.toFixed(3)}: the network must learn`,
    );
  if (!(last < 0.5 * first)) fail(`the training loss should fall to under half: ${curve}`);
  expect(
    again,
    'the same seed must give the same loss curve (no Math.random, no hidden state carried between networks)',
  ).toEqual(losses.slice(0, again.length));
}
