import { ShapeError, ValueError } from '../errors.js';

/** Number of elements of a tensor with this shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major strides: the step in the flat array for a step of one along each axis. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** `[150, 5]`: the way shapes are printed in every message. */
export function formatShape(shape: readonly (number | string | null)[]): string {
  return `[${shape.map((dim) => (dim === null ? 'batch' : String(dim))).join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, axis) => dim === b[axis]);
}

/** Throws unless every dimension is a non-negative integer. */
export function validateShape(shape: readonly number[], where: string): void {
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new ValueError(`${where}: shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
}

/**
 * A pattern a shape must match: a number is an exact size, a string names a free dimension
 * (`'batch'`, `'channels'`); strings with the same name must agree within one check.
 */
export type ShapePattern = readonly (number | string)[];

/**
 * Checks `shape` against `pattern` and throws a ShapeError that says what was expected:
 * `FullyConnected.forward expected input [batch, 4], got [150, 5]`.
 */
export function expectShape(shape: readonly number[], pattern: ShapePattern, where: string, what = 'input'): void {
  const bound = new Map<string, number>();
  let ok = shape.length === pattern.length;
  for (let axis = 0; ok && axis < pattern.length; axis++) {
    const want = pattern[axis];
    if (typeof want === 'number') ok = shape[axis] === want;
    else if (bound.has(want)) ok = bound.get(want) === shape[axis];
    else bound.set(want, shape[axis]);
  }
  if (!ok) throw new ShapeError(`${where} expected ${what} ${formatShape(pattern)}, got ${formatShape(shape)}`);
}

/** Throws unless `a` and `b` have the same shape. */
export function expectSameShape(a: readonly number[], b: readonly number[], where: string, names = ['a', 'b']): void {
  if (!sameShape(a, b)) {
    throw new ShapeError(
      `${where} expected ${names[0]} and ${names[1]} of the same shape, got ${formatShape(a)} and ${formatShape(b)}`,
    );
  }
}

/** The NumPy broadcast of two shapes (align on the right; a dimension of 1 stretches). */
export function broadcastShapes(a: readonly number[], b: readonly number[], where: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${where} cannot broadcast ${formatShape(a)} with ${formatShape(b)}: sizes ${da} and ${db} differ on axis ${i} and neither is 1`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides of `shape` seen from its broadcast shape `full` (from broadcastShapes): 0 on the axes it
 * is stretched along, so one index walk over `full` reads either operand (CPU loops, WebGPU layouts).
 */
export function broadcastStrides(shape: readonly number[], full: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = full.length - shape.length;
  return full.map((_, axis) => {
    const local = axis - offset;
    return local < 0 || shape[local] === 1 ? 0 : own[local];
  });
}

/** Resolves a negative axis (−1 = last) and checks it is in range. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw new ValueError(`${where}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return resolved;
}
