import { Tensor, type Layer, type Rng } from '../../framework/index.js';
import {
  batchTrainingLosses,
  trainHeldOut,
  verifyHeldOutTraining,
  type BatchOptimizer,
  type HeldOutTraining,
} from './held-out-training.js';

/**
 * Digit glyphs: a seeded, file-free stand-in for the Digits data set for the CNN training checks.
 * Drawn from the check's Rng, so each check sees its own images and no file is read: the ten digits of a 5×7 pixel font, placed at one of four offsets on an 8×8 canvas,
 * stroke pixels of random brightness, a few stroke pixels dropped, and background noise. Like Digits,
 * x is [n, 1, 8, 8] with values in [0, 1] and there are ten classes; a network that does not learn
 * stays near 0.1 accuracy.
 */
const FONT: readonly (readonly string[])[] = [
  ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
  ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
];

export const GLYPH_CLASSES = 10;

export interface GlyphBatch {
  /** [count, 1, 8, 8], values in [0, 1]. */
  readonly x: Tensor;
  /** One-hot [count, 10]. */
  readonly y: Tensor;
  readonly labels: number[];
}

/** `count` digit glyphs drawn from `rng` (labels uniform over 0–9). */
export function digitGlyphs(rng: Rng, count: number): GlyphBatch {
  const x = new Float64Array(count * 64);
  const y = new Float64Array(count * GLYPH_CLASSES);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const label = rng.int(GLYPH_CLASSES);
    const top = rng.int(2);
    const left = 1 + rng.int(2);
    for (let p = 0; p < 64; p++) x[n * 64 + p] = 0.25 * rng.uniform() ** 2;
    FONT[label].forEach((row, i) => {
      for (let j = 0; j < 5; j++) {
        if (row[j] === '#' && rng.uniform() > 0.1) x[n * 64 + (top + i) * 8 + left + j] = 0.6 + 0.4 * rng.uniform();
      }
    });
    y[n * GLYPH_CLASSES + label] = 1;
    labels.push(label);
  }
  return { x: new Tensor([count, 1, 8, 8], x), y: new Tensor([count, GLYPH_CLASSES], y), labels };
}

/** What a CNN training check returns: raw scores (logits) on held-out glyphs before and after training. */
export type GlyphTraining = HeldOutTraining;

/** What a glyph training loop needs of an optimizer (the test doubles and the student's optimizers alike). */
export type GlyphOptimizer = BatchOptimizer;

/**
 * `iterations` steps on fresh batches of `batchSize` glyphs drawn from `rng`: zero the gradients, forward
 * (after `input`, e.g. a flattening), test-local softmax cross-entropy, backward in reverse, step. The losses.
 */
export function glyphTrainingLosses(
  layers: readonly Layer[],
  optimizer: GlyphOptimizer,
  rng: Rng,
  iterations: number,
  batchSize: number,
  input: (x: Tensor) => Tensor = (x) => x,
): number[] {
  return batchTrainingLosses(layers, optimizer, digitGlyphs, rng, { iterations, batchSize, input });
}

/**
 * Trains `layers` (ending in logits; typically `digitsCnn` from cnn-doubles.ts with one part replaced by
 * the implementation under test) with a test-local softmax cross-entropy and Adam on fresh glyph batches,
 * and returns the logits on `testCount` held-out glyphs before and after: `verify` computes the accuracy
 * itself (harness `accuracyOf`), so nothing the implementation reports is trusted.
 */
export function trainOnGlyphs(
  layers: Layer[],
  rng: Rng,
  options: { iterations: number; batchSize: number; lr?: number; testCount?: number; what: string },
): GlyphTraining {
  return trainHeldOut(layers, digitGlyphs, rng, { ...options, lr: options.lr ?? 0.01 });
}

/** Steps, batch size and Adam's learning rate of the CNN training checks (Conv, MaxPool, Flatten). */
export const GLYPH_TRAINING = { iterations: 60, batchSize: 16, lr: 0.02 } as const;

/**
 * The accuracy a CNN training check must reach on 200 held-out glyphs: chance is 0.1, an untrained network
 * stays under 0.2, and correct code trained as GLYPH_TRAINING says reached at least 0.815 on each of 30
 * seeds (mean 0.895), so a correct implementation that draws its numbers in another order does not fail
 * by bad luck.
 */
export const GLYPH_ACCURACY = 0.75;

/**
 * verify of a glyph training check: the held-out accuracy, computed here from the raw scores, reaches
 * GLYPH_ACCURACY and beats the same network before training by a wide margin (0.4), and the loss falls.
 */
export function verifyGlyphTraining(data: GlyphTraining, what: string, hint: string): void {
  verifyHeldOutTraining(data, { threshold: GLYPH_ACCURACY, margin: 0.4, chance: 1 / GLYPH_CLASSES, what, hint });
}
