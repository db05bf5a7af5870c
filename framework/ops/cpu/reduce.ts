import { allocate, Tensor } from '../../tensor/tensor.js';

/** Splits a shape around `axis` into (outer, length, inner) so that a reduction is three plain loops. */
function around(shape: readonly number[], axis: number): [outer: number, length: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return [outer, shape[axis], inner];
}

function reducedShape(shape: readonly number[], axis: number, keepDims: boolean): number[] {
  return keepDims ? shape.map((dim, i) => (i === axis ? 1 : dim)) : shape.filter((_, i) => i !== axis);
}

/** out[o, i] = Σ_l x[o, l, i]. */
export function sumAlong(x: Tensor, axis: number, keepDims: boolean): Tensor {
  const [outer, length, inner] = around(x.shape, axis);
  const X = x.data;
  const out = allocate(x.dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < length; l++) {
      const base = (o * length + l) * inner;
      for (let i = 0; i < inner; i++) out[o * inner + i] += X[base + i];
    }
  }
  return new Tensor(reducedShape(x.shape, axis, keepDims), out);
}

/** out[o, i] = max_l x[o, l, i]. */
export function maxAlong(x: Tensor, axis: number, keepDims: boolean): Tensor {
  const [outer, length, inner] = around(x.shape, axis);
  const X = x.data;
  const out = allocate(x.dtype, outer * inner).fill(-Infinity);
  for (let o = 0; o < outer; o++) {
    for (let l = 0; l < length; l++) {
      const base = (o * length + l) * inner;
      for (let i = 0; i < inner; i++) if (X[base + i] > out[o * inner + i]) out[o * inner + i] = X[base + i];
    }
  }
  return new Tensor(reducedShape(x.shape, axis, keepDims), out);
}

/** out[o, i] = the first l at which x[o, l, i] is largest (ties go to the lowest index). */
export function argmaxAlong(x: Tensor, axis: number): Tensor {
  const [outer, length, inner] = around(x.shape, axis);
  const X = x.data;
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best = 0;
      for (let l = 1; l < length; l++)
        if (X[(o * length + l) * inner + i] > X[(o * length + best) * inner + i]) best = l;
      out[o * inner + i] = best;
    }
  }
  return new Tensor(reducedShape(x.shape, axis, false), out);
}
