import { allocate, Tensor } from '../../tensor/tensor.js';
import { broadcastShapes, sameShape, sizeOf, stridesOf } from '../../tensor/shape.js';

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
 * out = f(a, b) element by element, with NumPy broadcasting. The two common cases (equal shapes,
 * and b broadcast along the leading axes, as a bias row) take a direct loop; the rest walk indices.
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

/** Strides of `shape` seen from the broadcast shape: 0 on the axes it is stretched along. */
function broadcastStrides(shape: readonly number[], full: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = full.length - shape.length;
  return full.map((_, axis) => {
    const local = axis - offset;
    return local < 0 || shape[local] === 1 ? 0 : own[local];
  });
}
