import { ValueError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { argmax } from '../ops/reductions.js';

/** Labels 0…classes−1 → one-hot rows [n, classes]. */
export function oneHot(labels: readonly number[], classes: number): Tensor {
  const data = new Float64Array(labels.length * classes);
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new ValueError(`oneHot: label ${label} at position ${i} is not an integer in [0, ${classes})`);
    }
    data[i * classes + label] = 1;
  });
  return new Tensor([labels.length, classes], data);
}

/** One-hot or probability rows [n, classes] → the index of each row's largest entry. */
export function labelsOf(rows: Tensor): number[] {
  return Array.from(argmax(rows, -1).data);
}
