import type { Layer, Parameter, Rng, Tensor } from '../../framework/index.js';
import { tensorData, type TensorData } from '../harness/data.js';
import { accuracyOf, fail } from '../harness/verify.js';
import { AdamDouble, softmaxCrossEntropy } from './cnn-doubles.js';

/**
 * A short training run on fresh seeded image batches (digit glyphs, digit-glyphs.ts; stroke images,
 * stroke-training.ts), judged on held-out images: the logits before and after training and the first and
 * last losses come back as raw data, and `verifyHeldOutTraining` computes the accuracies itself (harness
 * `accuracyOf`), so nothing the implementation under test reports is trusted. File-free, so the grader's
 * sandbox can run it.
 */
export interface HeldOutTraining {
  readonly before: TensorData;
  readonly after: TensorData;
  readonly labels: number[];
  /** The losses of the first and the last (up to) 10 steps. */
  readonly firstLosses: number[];
  readonly lastLosses: number[];
}

/** `count` labelled images drawn from `rng`: x, one-hot y and the labels. */
export type DrawImages = (rng: Rng, count: number) => { x: Tensor; y: Tensor; labels: number[] };

/** What a training loop needs of an optimizer (the test doubles and the student's optimizers alike). */
export interface BatchOptimizer {
  zeroGrad(parameters: readonly Parameter[]): void;
  step(parameters: readonly Parameter[]): void;
}

/**
 * `iterations` steps on fresh batches of `batchSize` images drawn from `rng`: zero the gradients, forward
 * (after `input`, e.g. a flattening), test-local softmax cross-entropy, backward in reverse, step. The losses.
 */
export function batchTrainingLosses(
  layers: readonly Layer[],
  optimizer: BatchOptimizer,
  draw: DrawImages,
  rng: Rng,
  options: { iterations: number; batchSize: number; input?: (x: Tensor) => Tensor },
): number[] {
  const parameters = layers.flatMap((layer) => layer.parameters());
  const losses: number[] = [];
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const batch = draw(rng, options.batchSize);
    optimizer.zeroGrad(parameters);
    let output = options.input ? options.input(batch.x) : batch.x;
    for (const layer of layers) output = layer.forward(output);
    const { loss, grad } = softmaxCrossEntropy(output, batch.y);
    losses.push(loss);
    let gradient = grad;
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    optimizer.step(parameters);
  }
  return losses;
}

/**
 * Trains `layers` (ending in logits) with Adam (a double, learning rate `lr`) on batches drawn from one
 * fork of `rng`, and returns the logits on `testCount` (default 200) held-out images drawn from another,
 * before and after.
 */
export function trainHeldOut(
  layers: readonly Layer[],
  draw: DrawImages,
  rng: Rng,
  options: { iterations: number; batchSize: number; lr: number; testCount?: number; what: string },
): HeldOutTraining {
  const [trainRng, testRng] = [rng.fork(), rng.fork()];
  const test = draw(testRng, options.testCount ?? 200);
  const scores = (): TensorData =>
    tensorData(
      layers.reduce((out: Tensor, layer) => layer.forward(out), test.x),
      options.what,
    );
  const before = scores();
  const losses = batchTrainingLosses(layers, new AdamDouble(options.lr), draw, trainRng, options);
  const window = Math.min(10, losses.length);
  return {
    before,
    after: scores(),
    labels: test.labels,
    firstLosses: losses.slice(0, window),
    lastLosses: losses.slice(-window),
  };
}

/**
 * verify of a held-out training check: the accuracy after training is at least `threshold`, at least
 * `margin` above the same network before training, and the mean loss of the last steps is under half that
 * of the first. `what` names the network and the component (e.g. 'the CNN with your MaxPool'); `hint` says
 * what to check; `chance` is one over the number of classes, for the message.
 */
export function verifyHeldOutTraining(
  data: HeldOutTraining,
  spec: { threshold: number; margin: number; chance: number; what: string; hint: string },
): void {
  const { threshold, margin, chance, what, hint } = spec;
  const before = accuracyOf(data.before, data.labels);
  const after = accuracyOf(data.after, data.labels);
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const [first, last] = [mean(data.firstLosses), mean(data.lastLosses)];
  if (!(after >= threshold)) {
    fail(
      `${what}: held-out accuracy after training is ${after.toFixed(3)} (before training ${before.toFixed(3)}, chance ${chance}); expected at least ${threshold}. The mean loss went from ${first.toFixed(4)} (first steps) to ${last.toFixed(4)} (last steps). ${hint}`,
    );
  }
  if (!(after - before >= margin))
    fail(
      `${what}: held-out accuracy ${after.toFixed(3)} is not clearly above the untrained network's ${before.toFixed(3)}; the network must learn`,
    );
  if (!(last < 0.5 * first))
    fail(
      `${what}: the training loss should fall to under half: mean ${first.toFixed(4)} over the first steps, ${last.toFixed(4)} over the last. ${hint}`,
    );
}
