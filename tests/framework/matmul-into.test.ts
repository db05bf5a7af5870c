import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmulInto, type MatrixView } from '../../framework/ops/cpu/matmul-into.js';
import { assertProperty } from '../helpers/property.js';

/**
 * `matmulInto` (4 × 4 register blocks over strided views, used by the im2col fast path of Conv)
 * against the three plain loops of the definition, C[r, c] (+)= Σ_p A[r, p]·B[p, c], read through
 * the same strides. Both sum over p in order from 0 in float64, so they must agree exactly: for
 * sizes that are not multiples of the block, empty sizes, transposed operands (swapped strides),
 * offsets into a larger array, a C whose rows are longer than the product (the rest must stay
 * untouched), with and without `accumulate`, in float64 and float32.
 */
interface Case {
  rows: number;
  columns: number;
  depth: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Elements before each matrix in its array, and unused columns after each row of C. */
  offset: number;
  slack: number;
  accumulate: boolean;
  float32: boolean;
  seed: number;
}

const cases: fc.Arbitrary<Case> = fc.record({
  rows: fc.integer({ min: 0, max: 11 }),
  columns: fc.integer({ min: 0, max: 11 }),
  depth: fc.integer({ min: 0, max: 11 }),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  offset: fc.integer({ min: 0, max: 5 }),
  slack: fc.integer({ min: 0, max: 3 }),
  accumulate: fc.boolean(),
  float32: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

/** Small integers and halves from a seed: exact in float32, so a mismatch is the loop's, not rounding's. */
function filled(length: number, seed: number, float32: boolean): Float64Array | Float32Array {
  const data = float32 ? new Float32Array(length) : new Float64Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = ((state % 41) - 20) / 2;
  }
  return data;
}

/** A [rows, columns] matrix stored after `offset` elements, row-major or (transposed) column-major. */
function view(
  rows: number,
  columns: number,
  transposed: boolean,
  offset: number,
  seed: number,
  float32: boolean,
): MatrixView {
  const data = filled(offset + rows * columns, seed, float32);
  return transposed
    ? { data, offset, rowStride: 1, columnStride: rows }
    : { data, offset, rowStride: columns, columnStride: 1 };
}

const at = (m: MatrixView, r: number, c: number): number => m.data[m.offset + r * m.rowStride + c * m.columnStride];

function check(g: Case): void {
  const a = view(g.rows, g.depth, g.transposeA, g.offset, g.seed, g.float32);
  const b = view(g.depth, g.columns, g.transposeB, g.offset + 1, g.seed + 1, g.float32);
  const rowStride = g.columns + g.slack;
  const before = filled(g.offset + g.rows * rowStride, g.seed + 2, g.float32);
  const c = { data: before.slice(), offset: g.offset, rowStride };
  matmulInto(g.rows, g.columns, g.depth, a, b, c, g.accumulate);
  const expected = before.slice();
  for (let r = 0; r < g.rows; r++) {
    for (let s = 0; s < g.columns; s++) {
      let sum = 0;
      for (let p = 0; p < g.depth; p++) sum += at(a, r, p) * at(b, p, s);
      const i = g.offset + r * rowStride + s;
      expected[i] = g.accumulate ? expected[i] + sum : sum;
    }
  }
  const wrong = c.data.findIndex((value, i) => value !== expected[i]);
  const what = `[${g.rows}, ${g.depth}]${g.transposeA ? 'ᵀ-stored' : ''} · [${g.depth}, ${g.columns}]${g.transposeB ? 'ᵀ-stored' : ''}, offset ${g.offset}, C rows ${rowStride} long, ${g.accumulate ? 'C +=' : 'C ='}, ${g.float32 ? 'float32' : 'float64'}`;
  expect(
    wrong,
    `${what}: element ${wrong} of C is ${c.data[wrong]}, the plain loops give ${expected[wrong]} (elements outside the product must stay as they were)`,
  ).toBe(-1);
}

describe('framework matmulInto', () => {
  it('equals the plain three loops on any sizes, strides, offsets and modes', () => {
    assertProperty(fc.property(cases, check));
  });

  it('equals the plain three loops on the products of the im2col fast path (Digits CNN and a wider layer)', () => {
    // [O, T]·[T, P], [T, O]ᵀ·[O, P] and [O, P]·[P, T]ᵀ for 4 filters of 3×3 on 8×8, and 16 filters on 8 channels of 16×16.
    for (const [filters, taps, positions] of [
      [4, 9, 64],
      [16, 72, 256],
    ]) {
      const base = { offset: 3, slack: 0, float32: false, seed: filters };
      check({
        ...base,
        rows: filters,
        columns: positions,
        depth: taps,
        transposeA: false,
        transposeB: false,
        accumulate: true,
      });
      check({
        ...base,
        rows: taps,
        columns: positions,
        depth: filters,
        transposeA: true,
        transposeB: false,
        accumulate: false,
      });
      check({
        ...base,
        rows: filters,
        columns: taps,
        depth: positions,
        transposeA: false,
        transposeB: true,
        accumulate: true,
      });
    }
  });
});
