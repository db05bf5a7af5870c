import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, mul, Rng, ShapeError, sub, tensor, type Tensor } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';

/**
 * Element-wise ops with NumPy broadcasting. The CPU kernel takes direct loops for the common cases
 * (equal shapes, a bias row [n] against [batch, n], a per-row value [batch, 1] against
 * [batch, classes]) and walks indices otherwise; every case must agree with this test-local
 * reference, which applies the broadcasting rule one output index at a time.
 */
function broadcastReference(
  a: Tensor,
  b: Tensor,
  f: (x: number, y: number) => number,
): { shape: number[]; values: number[] } {
  const rank = Math.max(a.rank, b.rank);
  const aligned = (t: Tensor): number[] => [...Array(rank - t.rank).fill(1), ...t.shape];
  const aShape = aligned(a);
  const bShape = aligned(b);
  const shape = aShape.map((d, axis) => (d === 1 ? bShape[axis] : d));
  const values: number[] = [];
  const size = shape.reduce((product, d) => product * d, 1);
  for (let flat = 0; flat < size; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = rest % shape[axis];
      rest = Math.floor(rest / shape[axis]);
    }
    const offset = (dims: number[]): number => dims.reduce((o, d, axis) => o * d + (d === 1 ? 0 : index[axis]), 0);
    values.push(f(a.data[offset(aShape)], b.data[offset(bShape)]));
  }
  return { shape, values };
}

/** Two shapes that broadcast together: each axis of each is the common size or 1; b may drop leading axes. */
const broadcastablePair = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((full) =>
    fc.tuple(
      fc.tuple(...full.map((d) => fc.constantFrom(d, 1))),
      fc.tuple(...full.map((d) => fc.constantFrom(d, d, 1))),
      fc.integer({ min: 0, max: full.length - 1 }),
    ),
  )
  .map(([aShape, bShape, dropped]) => [aShape, bShape.slice(dropped)] as const);

describe('framework broadcasting element-wise ops', () => {
  describe('properties', () => {
    it('sub and mul agree with the one-index-at-a-time reference on any broadcastable shapes', () => {
      const rng = new Rng(21);
      assertProperty(
        fc.property(broadcastablePair, ([aShape, bShape]) => {
          const a = rng.normalTensor(aShape);
          const b = rng.normalTensor(bShape);
          for (const [name, op, f] of [
            ['sub', sub, (x: number, y: number) => x - y],
            ['mul', mul, (x: number, y: number) => x * y],
          ] as const) {
            const expected = broadcastReference(a, b, f);
            const actual = op(a, b);
            expect(actual.shape, `${name}([${aShape}], [${bShape}]) shape`).toEqual(expected.shape);
            expect(Array.from(actual.data), `${name}([${aShape}], [${bShape}]) values`).toEqual(expected.values);
          }
        }),
      );
    });
  });

  describe('known values', () => {
    it('a per-row column [batch, 1] is subtracted from every element of its row', () => {
      const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
      const rowValue = tensor([1, 10], [2, 1]);
      expect(sub(x, rowValue).toArray()).toEqual([
        [0, 1, 2],
        [-6, -5, -4],
      ]);
    });

    it('a bias row [n] is added to every row', () => {
      expect(add(tensor([1, 2, 3, 4], [2, 2]), tensor([10, 20], [2])).toArray()).toEqual([
        [11, 22],
        [13, 24],
      ]);
    });

    it('shapes that do not broadcast are a ShapeError', () => {
      expect(() => sub(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2], [2]))).toThrow(ShapeError);
    });
  });
});
