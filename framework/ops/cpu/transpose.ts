import { allocate, Tensor } from '../../tensor/tensor.js';
import { stridesOf } from '../../tensor/shape.js';

/** out = x with its axes reordered: out.shape[i] = x.shape[axes[i]]. */
export function permuteCpu(x: Tensor, axes: readonly number[]): Tensor {
  const shape = axes.map((axis) => x.shape[axis]);
  const X = x.data;
  const out = allocate(x.dtype, x.size);
  if (x.rank === 2 && axes[0] === 1) {
    const [rows, columns] = x.shape;
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = X[r * columns + c];
    return new Tensor(shape, out);
  }
  const inStrides = stridesOf(x.shape);
  const strides = axes.map((axis) => inStrides[axis]);
  const outStrides = stridesOf(shape);
  for (let i = 0; i < out.length; i++) {
    let rest = i;
    let source = 0;
    for (let axis = 0; axis < shape.length; axis++) {
      const coordinate = Math.floor(rest / outStrides[axis]);
      rest -= coordinate * outStrides[axis];
      source += coordinate * strides[axis];
    }
    out[i] = X[source];
  }
  return new Tensor(shape, out);
}
