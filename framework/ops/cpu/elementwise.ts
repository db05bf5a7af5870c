import { allocate, Tensor } from '../../tensor/tensor.js';
import { broadcastShapes, broadcastStrides, sameShape, sizeOf, stridesOf } from '../../tensor/shape.js';

export type BinaryFunction = (a: number, b: number) => number;
export type UnaryFunction = (x: number) => number;

/** out[i] = f(x[i]). */
export function mapUnary(x: Tensor, f: UnaryFunction): Tensor {
  const input = x.data;
  const out = allocate(x.dtype, x.size);
  for (let i = 0; i < out.length; i++) out[i] = f(input[i]);
  return new Tensor(x.shape, out);
}

/**
 * out = f(a, b) element by element, with NumPy broadcasting. The three common cases (equal shapes;
 * b broadcast along the leading axes, as a bias row; b broadcast along the trailing axes, as a
 * per-row sum kept with keepDims) take direct loops; the rest walk indices.
 */
export function mapBinary(a: Tensor, b: Tensor, f: BinaryFunction, where: string): Tensor {
  const A = a.data;
  const B = b.data;
  const dtype = a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32';
  if (sameShape(a.shape, b.shape)) {
    const out = allocate(dtype, a.size);
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], B[i]);
    return new Tensor(a.shape, out);
  }
  const shape = broadcastShapes(a.shape, b.shape, where);
  const out = allocate(dtype, sizeOf(shape));
  if (sameShape(shape, a.shape) && isTrailing(b.shape, shape)) {
    const period = b.size;
    for (let i = 0; i < out.length; i++) out[i] = f(A[i], B[i % period]);
    return new Tensor(shape, out);
  }
  const inner = sameShape(shape, a.shape) ? trailingRepeat(b.shape, shape) : 0;
  if (inner > 0) {
    for (let o = 0; o < b.size; o++) {
      const value = B[o];
      for (let i = o * inner; i < (o + 1) * inner; i++) out[i] = f(A[i], value);
    }
    return new Tensor(shape, out);
  }
  const aStrides = broadcastStrides(a.shape, shape);
  const bStrides = broadcastStrides(b.shape, shape);
  const outStrides = stridesOf(shape);
  for (let i = 0; i < out.length; i++) {
    let ai = 0;
    let bi = 0;
    let rest = i;
    for (let axis = 0; axis < shape.length; axis++) {
      const coordinate = Math.floor(rest / outStrides[axis]);
      rest -= coordinate * outStrides[axis];
      ai += coordinate * aStrides[axis];
      bi += coordinate * bStrides[axis];
    }
    out[i] = f(A[ai], B[bi]);
  }
  return new Tensor(shape, out);
}

/** True when `shape` equals the last axes of `full` (so it repeats with a fixed period). */
function isTrailing(shape: readonly number[], full: readonly number[]): boolean {
  const offset = full.length - shape.length;
  return offset >= 0 && shape.every((dim, axis) => dim === full[offset + axis]);
}

/**
 * When `shape` is `full`'s leading axes followed only by 1s (as [batch, 1] against [batch, classes]),
 * each of its elements repeats over a block of this many consecutive elements of `full`; else 0.
 */
function trailingRepeat(shape: readonly number[], full: readonly number[]): number {
  const offset = full.length - shape.length;
  let inner = 1;
  let leading = true;
  for (let axis = 0; axis < full.length; axis++) {
    const dim = axis < offset ? 1 : shape[axis - offset];
    if (leading && dim === full[axis]) continue;
    leading = false;
    if (dim !== 1) return 0;
    inner *= full[axis];
  }
  return inner;
}
