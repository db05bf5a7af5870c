import { ShapeError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { labelsOf } from '../data/one-hot.js';
import type { Tensor } from '../tensor/tensor.js';

/** Fraction of rows whose largest prediction is at the target's class (targets one-hot or probabilities). */
export function accuracy(prediction: Tensor, target: Tensor): number {
  if (prediction.rank !== 2 || prediction.shape[0] !== target.shape[0] || prediction.shape[1] !== target.shape[1]) {
    throw new ShapeError(
      `accuracy expected prediction and target of the same shape [batch, classes], got ${formatShape(prediction.shape)} and ${formatShape(target.shape)}`,
    );
  }
  const predicted = labelsOf(prediction);
  const actual = labelsOf(target);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === actual[i]) correct++;
  return predicted.length === 0 ? 0 : correct / predicted.length;
}
