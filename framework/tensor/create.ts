import { ShapeError, ValueError } from '../errors.js';
import { allocate, Tensor, type DType, type NestedArray } from './tensor.js';
import { sizeOf } from './shape.js';

export function zeros(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return new Tensor(shape, allocate(dtype, sizeOf(shape)));
}

export function ones(shape: readonly number[], dtype: DType = 'float64'): Tensor {
  return full(shape, 1, dtype);
}

export function full(shape: readonly number[], value: number, dtype: DType = 'float64'): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  data.fill(value);
  return new Tensor(shape, data);
}

/** A CPU tensor of the same shape and dtype as `like`, all zeros. */
export function zerosLike(like: Tensor): Tensor {
  return zeros(like.shape, like.dtype);
}

/** A tensor from flat row-major values and a shape. */
export function tensor(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float64'): Tensor {
  if (values.length !== sizeOf(shape)) {
    throw new ShapeError(
      `tensor: ${values.length} values do not fill shape [${shape.join(', ')}] (${sizeOf(shape)} elements)`,
    );
  }
  const data = allocate(dtype, values.length);
  data.set(values);
  return new Tensor(shape, data);
}

/** A tensor from nested arrays: `fromArray([[1, 2], [3, 4]])` has shape [2, 2]. Ragged input is an error. */
export function fromArray(nested: NestedArray, dtype: DType = 'float64'): Tensor {
  const shape: number[] = [];
  for (let level: NestedArray = nested; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values: number[] = [];
  const walk = (node: NestedArray, depth: number): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ShapeError(`fromArray: ragged nested array (too deep at depth ${depth})`);
      values.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      throw new ShapeError(`fromArray: ragged nested array: expected ${shape[depth]} entries at depth ${depth}`);
    }
    for (const child of node) walk(child, depth + 1);
  };
  walk(nested, 0);
  return tensor(values, shape, dtype);
}

/** 0, 1, …, n−1 as a 1-D tensor. */
export function arange(n: number, dtype: DType = 'float64'): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`arange: n must be a non-negative integer, got ${n}`);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = i;
  return new Tensor([n], data);
}
