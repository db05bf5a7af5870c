import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dispatchCount,
  matmul,
  resetDispatchCounts,
  Rng,
  ShapeError,
  tensor,
  type DType,
  type Tensor,
} from '../../framework/index.js';
import { matmulBlocked, matmulNaive } from '../../framework/ops/cpu/matmul.js';
import { assertProperty, finite } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';

/**
 * The fast CPU kernel `matmulBlocked` (4 × 4 register tiles over packed B panels) against the
 * readable oracle `matmulNaive`. Both sum over p in the same order, each in a float64 accumulator,
 * so they must agree exactly, in float64 and in float32, whatever the shapes: in particular m and
 * n that are not multiples of the tile size, and empty dimensions.
 */
const dimension = fc.integer({ min: 0, max: 11 });

function operands(dtype: DType): fc.Arbitrary<[Tensor, Tensor]> {
  return fc
    .tuple(dimension, dimension, dimension)
    .chain(([m, k, n]) =>
      fc
        .tuple(
          fc.array(finite(), { minLength: m * k, maxLength: m * k }),
          fc.array(finite(), { minLength: k * n, maxLength: k * n }),
        )
        .map(([a, b]): [Tensor, Tensor] => [tensor(a, [m, k], dtype), tensor(b, [k, n], dtype)]),
    );
}

function expectIdentical(actual: Tensor, expected: Tensor, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  const index = actual.data.findIndex((value, i) => value !== expected.data[i]);
  expect(index, `${what}: element ${index} is ${actual.data[index]}, the oracle gives ${expected.data[index]}`).toBe(
    -1,
  );
}

describe('framework matmul', () => {
  describe('properties', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`matmulBlocked equals matmulNaive on any shape (${dtype})`, () => {
        assertProperty(
          fc.property(operands(dtype), ([a, b]) => {
            expectIdentical(matmulBlocked(a, b), matmulNaive(a, b), `[${a.shape}]·[${b.shape}] ${dtype}`);
          }),
        );
      });
    }

    it('matmulBlocked equals matmulNaive on shapes larger than a tile in every direction', () => {
      const rng = new Rng(11);
      for (const [m, k, n] of [
        [37, 41, 29],
        [64, 3, 65],
        [5, 130, 7],
        [128, 128, 128],
      ]) {
        const a = rng.normalTensor([m, k]);
        const b = rng.normalTensor([k, n]);
        expectIdentical(matmulBlocked(a, b), matmulNaive(a, b), `[${m}, ${k}]·[${k}, ${n}]`);
      }
    });

    it('framework matmul runs the registered CPU kernel, which is matmulBlocked', () => {
      const rng = new Rng(12);
      const a = rng.normalTensor([6, 9]);
      const b = rng.normalTensor([9, 5]);
      resetDispatchCounts();
      expectIdentical(matmul(a, b), matmulBlocked(a, b), 'matmul');
      expect(dispatchCount('matmul', 'cpu')).toBe(1);
    });
  });

  describe('known values', () => {
    it('multiplies a hand-checked product, with an edge of 3 × 5 (not a multiple of the tile)', () => {
      // A [3, 2], B [2, 5]: C[i, j] = A[i, 0]·B[0, j] + A[i, 1]·B[1, j].
      const a = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
      const b = tensor([1, 0, -1, 2, 0.5, 0, 1, 1, -2, 4], [2, 5]);
      const expected = [
        [1, 2, 1, -2, 8.5],
        [3, 4, 1, -2, 17.5],
        [5, 6, 1, -2, 26.5],
      ];
      expectClose(matmulBlocked(a, b), expected, 0, 'matmulBlocked');
      expectClose(matmulNaive(a, b), expected, 0, 'matmulNaive');
    });

    it('an empty inner dimension gives zeros', () => {
      expectClose(
        matmulBlocked(tensor([], [2, 0]), tensor([], [0, 3])),
        [
          [0, 0, 0],
          [0, 0, 0],
        ],
        0,
        'matmulBlocked with k = 0',
      );
    });

    it('rejects shapes that do not chain, naming both', () => {
      expect(() => matmul(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2, 3, 4], [2, 2]))).toThrow(ShapeError);
      expect(() => matmul(tensor([1, 2, 3, 4, 5, 6], [2, 3]), tensor([1, 2, 3, 4], [2, 2]))).toThrow(
        'got [2, 3] and [2, 2]',
      );
    });
  });
});
