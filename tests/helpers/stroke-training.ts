import type { Layer, Rng, Tensor } from '../../framework/index.js';
import { tensorData, type TensorData } from '../harness/data.js';
import { accuracyOf, fail } from '../harness/verify.js';
import { AdamDouble, softmaxCrossEntropy } from './cnn-doubles.js';
import { strokeImages } from './stroke-images.js';

/**
 * A short training run on stroke images (tests/helpers/stroke-images.ts: four classes of 2-pixel-wide
 * bars at random positions on 8×8 noise), for the checks of a layer that sits inside a small network of
 * test-local doubles. File-free, so the grader's sandbox can run it; `verify` computes the accuracy from
 * the raw scores itself.
 */
export interface StrokeTraining {
  readonly before: TensorData;
  readonly after: TensorData;
  readonly labels: number[];
  readonly firstLosses: number[];
  readonly lastLosses: number[];
}

/**
 * Trains `layers` (ending in 4 logits) with a test-local softmax cross-entropy and Adam on `iterations`
 * fresh batches of `batchSize` stroke images drawn from `rng`, and returns the logits on `testCount`
 * held-out images before and after.
 */
export function trainOnStrokes(
  layers: readonly Layer[],
  rng: Rng,
  options: { iterations: number; batchSize: number; lr?: number; testCount?: number; what: string },
): StrokeTraining {
  const [trainRng, testRng] = [rng.fork(), rng.fork()];
  const test = strokeImages(testRng, options.testCount ?? 200);
  const scores = (): TensorData =>
    tensorData(
      layers.reduce((out: Tensor, layer) => layer.forward(out), test.x),
      options.what,
    );
  const before = scores();
  const parameters = layers.flatMap((layer) => layer.parameters());
  const optimizer = new AdamDouble(options.lr ?? 0.02);
  const losses: number[] = [];
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const batch = strokeImages(trainRng, options.batchSize);
    optimizer.zeroGrad(parameters);
    const { loss, grad } = softmaxCrossEntropy(
      layers.reduce((out: Tensor, layer) => layer.forward(out), batch.x),
      batch.y,
    );
    losses.push(loss);
    layers.reduceRight((gradient: Tensor, layer) => layer.backward(gradient), grad);
    optimizer.step(parameters);
  }
  const window = Math.min(10, losses.length);
  return {
    before,
    after: scores(),
    labels: test.labels,
    firstLosses: losses.slice(0, window),
    lastLosses: losses.slice(-window),
  };
}

/** verify of a stroke training check: held-out accuracy ≥ `threshold`, well above the untrained network, and the loss falls. */
export function verifyStrokeTraining(data: StrokeTraining, threshold: number, what: string, hint: string): void {
  const before = accuracyOf(data.before, data.labels);
  const after = accuracyOf(data.after, data.labels);
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const [first, last] = [mean(data.firstLosses), mean(data.lastLosses)];
  if (!(after >= threshold)) {
    fail(
      `${what}: held-out accuracy after training is ${after.toFixed(3)} (before training ${before.toFixed(3)}, chance 0.25); expected at least ${threshold}. The mean loss went from ${first.toFixed(4)} (first steps) to ${last.toFixed(4)} (last steps). ${hint}`,
    );
  }
  if (!(after - before >= 0.3))
    fail(
      `${what}: held-out accuracy ${after.toFixed(3)} is not clearly above the untrained network's ${before.toFixed(3)}; the network must learn`,
    );
  if (!(last < 0.5 * first))
    fail(
      `${what}: the training loss should fall to under half: mean ${first.toFixed(4)} over the first steps, ${last.toFixed(4)} over the last. ${hint}`,
    );
}
