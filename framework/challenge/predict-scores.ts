import { NonFiniteError, ShapeError, ValueError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Batches of this many images: the same everywhere a challenge model is scored (local evaluation, public check, grader). */
export const CHALLENGE_BATCH_SIZE = 250;

/** The number of classes a challenge model scores (Fashion-MNIST). */
export const CHALLENGE_CLASSES = 10;

/** Anything that maps a batch of images to scores: a NeuralNetwork in eval mode. */
export interface ScoringModel {
  predict(x: Tensor): Tensor;
}

/**
 * The scores a challenge model gives every image: `images` [n, 1, 28, 28] is cut into batches of
 * `batchSize` along the first axis, each goes through `network.predict`, which must return [b, 10]
 * (logits or probabilities: only the argmax of a row decides the predicted class). Returns n rows of
 * 10 finite numbers. Call `network.eval()` first; this function never changes the network's mode.
 */
export function predictScores(network: ScoringModel, images: Tensor, batchSize = CHALLENGE_BATCH_SIZE): number[][] {
  if (images.rank !== 4 || images.shape[1] !== 1) {
    throw new ShapeError(`predictScores: images must be [n, 1, height, width], got ${formatShape(images.shape)}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ValueError(`predictScores: batchSize must be a positive integer, got ${batchSize}`);
  const count = images.shape[0];
  const perImage = count === 0 ? 0 : images.size / count;
  const source = images.data;
  const scores: number[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    // A copy, not a view: a model that writes into its input must not change the next batch.
    const batch = new Tensor(
      [size, ...images.shape.slice(1)],
      source.slice(start * perImage, (start + size) * perImage),
    );
    const output = network.predict(batch);
    if (output === null || typeof output !== 'object' || !Array.isArray((output as { shape?: unknown }).shape)) {
      throw new ShapeError(
        `predictScores: predict returned ${typeof output}, not a tensor [${size}, ${CHALLENGE_CLASSES}] (images ${start}…${start + size - 1})`,
      );
    }
    if (output.rank !== 2 || output.shape[0] !== size || output.shape[1] !== CHALLENGE_CLASSES) {
      throw new ShapeError(
        `predictScores: predict on a batch of ${size} images (${start}…${start + size - 1}) returned ${formatShape(output.shape)}, expected [${size}, ${CHALLENGE_CLASSES}]: the model's last layer must give one score per class`,
      );
    }
    const values = output.data;
    for (let row = 0; row < size; row++) {
      const line = Array.from(values.subarray(row * CHALLENGE_CLASSES, (row + 1) * CHALLENGE_CLASSES));
      const bad = line.findIndex((value) => !Number.isFinite(value));
      if (bad >= 0) {
        throw new NonFiniteError(
          `predictScores: image ${start + row} got score ${line[bad]} for class ${bad}: every score must be finite (look for a division by zero, a log of 0 or an exploding weight)`,
        );
      }
      scores.push(line);
    }
  }
  return scores;
}
