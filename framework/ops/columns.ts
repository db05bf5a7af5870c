import { ShapeError, ValueError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { allocate, Tensor } from '../tensor/tensor.js';

/**
 * Column blocks of a matrix, for layers that keep several weight blocks side by side (the LSTM's
 * gates i, f, g, o in one [in, 4H] matrix). CPU only: they copy elements.
 */

/** m[:, start:end] as a new matrix [rows, end − start]. */
export function sliceColumns(matrix: Tensor, start: number, end: number): Tensor {
  if (matrix.rank !== 2)
    throw new ShapeError(`sliceColumns expected a matrix [rows, columns], got ${formatShape(matrix.shape)}`);
  const [rows, columns] = matrix.shape;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > columns || start > end) {
    throw new ValueError(
      `sliceColumns: columns ${start}…${end} are not a range within the ${columns} columns of ${formatShape(matrix.shape)}`,
    );
  }
  const width = end - start;
  const source = matrix.data;
  const out = allocate(matrix.dtype, rows * width);
  for (let r = 0; r < rows; r++) out.set(source.subarray(r * columns + start, r * columns + end), r * width);
  return new Tensor([rows, width], out);
}

/** Matrices [rows, c_k] side by side: [rows, Σ c_k]. The inverse of slicing them out. */
export function concatColumns(parts: readonly Tensor[]): Tensor {
  if (parts.length === 0) throw new ValueError('concatColumns needs at least one matrix');
  const rows = parts[0].shape[0];
  for (const part of parts) {
    if (part.rank !== 2 || part.shape[0] !== rows) {
      throw new ShapeError(`concatColumns expected matrices with ${rows} rows, got ${formatShape(part.shape)}`);
    }
  }
  const columns = parts.reduce((total, part) => total + part.shape[1], 0);
  const out = allocate(parts[0].dtype, rows * columns);
  let offset = 0;
  for (const part of parts) {
    const width = part.shape[1];
    const data = part.data;
    for (let r = 0; r < rows; r++) out.set(data.subarray(r * width, (r + 1) * width), r * columns + offset);
    offset += width;
  }
  return new Tensor([rows, columns], out);
}
