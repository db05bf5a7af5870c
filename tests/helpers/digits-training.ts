import { DataLoader, Rng, type Initializer, type Layer, type Loss, type Optimizer, type Tensor } from '../../framework/index.js';
import { labelsOf, numberData, type TensorData } from '../harness/data.js';
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
export function trainOnDigits(spec: DigitsTraining, seeds: { init: number; order: number }, iterations: number, evaluate = true) {
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
