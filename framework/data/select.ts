import { allocate, Tensor } from '../tensor/tensor.js';

/** The examples at `indices` along the first axis, in that order: x[indices]. */
export function selectRows(x: Tensor, indices: readonly number[]): Tensor {
  const rowSize = x.shape[0] === 0 ? 0 : x.size / x.shape[0];
  const source = x.data;
  const out = allocate(x.dtype, indices.length * rowSize);
  // Plain element copies: a subarray view per row costs more than copying a short row.
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * rowSize;
    const to = i * rowSize;
    for (let c = 0; c < rowSize; c++) out[to + c] = source[from + c];
  }
  return new Tensor([indices.length, ...x.shape.slice(1)], out);
}
