import { loadDigits, oneHot, Rng, trainTestSplit, type Layer, type LabelledDataset, type Regularizer } from '../../framework/index.js';
import { Dense, Rectifier } from './test-layers.js';
import { PlainSgd } from './test-optimizers.js';
import { evalAccuracy, trainLayers } from './test-training.js';

/**
 * The deliberately overfitting setup of Exercise 3 (seed 004: 4427, "training and validation loss
 * diverge: overfitting → increase regularization"): a wide one-hidden-layer MLP trained for long on
 * 179 Digits images whose labels are 25% randomised, tested on 901 clean images. Without
 * regularization the network memorises the noisy labels (train accuracy near 1, test far lower); a
 * weight penalty or dropout keeps it from memorising, so the train–test gap shrinks.
 */
export interface OverfitResult {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** trainAccuracy − testAccuracy. */
  readonly gap: number;
}

let cached: { train: LabelledDataset; test: LabelledDataset } | undefined;

function noisyDigits(): { train: LabelledDataset; test: LabelledDataset } {
  if (cached) return cached;
  const { train: pool, test } = trainTestSplit(loadDigits(), { testFraction: 0.5, rng: new Rng(1) });
  const { test: clean } = trainTestSplit(pool, { testFraction: 0.2, rng: new Rng(2) });
  const noise = new Rng(3);
  const labels = clean.labels.map((label) => (noise.uniform() < 0.25 ? noise.int(10) : label));
  cached = { train: { x: clean.x, y: oneHot(labels, 10), labels, classNames: clean.classNames }, test };
  return cached;
}

/**
 * Trains the MLP 64 → 128 → ReLU → [extra] → 10 with plain SGD (lr 0.2, batch 20, 800 iterations, all
 * seeded) and measures the gap. `extra` is inserted after the hidden ReLU (e.g. a Dropout layer).
 */
export function overfitGap(options: { regularizer?: Regularizer; extra?: Layer[]; seed?: number } = {}): OverfitResult {
  const { train, test } = noisyDigits();
  const rng = new Rng(options.seed ?? 1);
  const layers: Layer[] = [new Dense(64, 128, rng), new Rectifier(), ...(options.extra ?? []), new Dense(128, 10, rng)];
  const optimizer = new PlainSgd({ lr: 0.2, regularizer: options.regularizer });
  trainLayers(layers, train, { optimizer, iterations: 800, batchSize: 20, seed: options.seed ?? 1 });
  const trainAccuracy = evalAccuracy(layers, train);
  const testAccuracy = evalAccuracy(layers, test);
  return { trainAccuracy, testAccuracy, gap: trainAccuracy - testAccuracy };
}

export const describeOverfit = (r: OverfitResult): string => `train ${r.trainAccuracy.toFixed(3)}, test ${r.testAccuracy.toFixed(3)}, gap ${r.gap.toFixed(3)}`;
