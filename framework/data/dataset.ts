import { ShapeError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Examples `x` (batch first) and their targets `y` (one-hot [n, classes], or any tensor with the
 * same first axis).
 */
export interface Dataset {
  readonly x: Tensor;
  readonly y: Tensor;
}

/** Throws unless x and y hold the same number of examples. */
export function checkDataset(data: Dataset, where: string): void {
  if (data.x.rank === 0 || data.y.rank === 0 || data.x.shape[0] !== data.y.shape[0]) {
    throw new ShapeError(
      `${where}: inputs ${formatShape(data.x.shape)} and targets ${formatShape(data.y.shape)} must have the same number of examples on the first axis`,
    );
  }
}
