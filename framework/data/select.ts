import { allocate, Tensor } from '../tensor/tensor.js';

/** The examples at `indices` along the first axis, in that order: x[indices]. */
export function selectRows(x: Tensor, indices: readonly number[]): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / x.shape[0];
  const source = x.data;
  const out = allocate(x.dtype, indices.length * rowSize);
  indices.forEach((row, i) => out.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return new Tensor([indices.length, ...x.shape.slice(1)], out);
}
