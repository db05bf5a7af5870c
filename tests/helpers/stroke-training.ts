import type { Layer, Rng } from '../../framework/index.js';
import { trainHeldOut, verifyHeldOutTraining, type HeldOutTraining } from './held-out-training.js';
import { strokeImages } from './stroke-images.js';

/**
 * A short training run on stroke images (tests/helpers/stroke-images.ts: four classes of 2-pixel-wide
 * bars at random positions on 8×8 noise), for the checks of a layer that sits inside a small network of
 * test-local doubles. File-free, so the grader's sandbox can run it; `verify` computes the accuracy from
 * the raw scores itself (the loop and the verdict are held-out-training.ts's, shared with the digit glyphs).
 */
export type StrokeTraining = HeldOutTraining;

/**
 * Trains `layers` (ending in 4 logits) with a test-local softmax cross-entropy and Adam (lr default 0.02) on
 * `iterations` fresh batches of `batchSize` stroke images drawn from `rng`, and returns the logits on
 * `testCount` held-out images before and after.
 */
export function trainOnStrokes(
  layers: readonly Layer[],
  rng: Rng,
  options: { iterations: number; batchSize: number; lr?: number; testCount?: number; what: string },
): StrokeTraining {
  return trainHeldOut(layers, strokeImages, rng, { ...options, lr: options.lr ?? 0.02 });
}

/** verify of a stroke training check: held-out accuracy ≥ `threshold`, at least 0.3 above the untrained network, and the loss falls. */
export function verifyStrokeTraining(data: StrokeTraining, threshold: number, what: string, hint: string): void {
  verifyHeldOutTraining(data, { threshold, margin: 0.3, chance: 0.25, what, hint });
}
