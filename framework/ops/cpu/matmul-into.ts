import type { TypedArray } from '../../tensor/tensor.js';

/**
 * A matrix that lies inside a flat array: element (r, c) is data[offset + r·rowStride + c·columnStride].
 * A row-major [rows, columns] block has rowStride = columns and columnStride = 1; its transpose is
 * the same array read with the two strides swapped, so no product needs a transposed copy.
 */
export interface MatrixView {
  readonly data: TypedArray;
  readonly offset: number;
  readonly rowStride: number;
  readonly columnStride: number;
}

/** Running sums of one block of C, kept when the block reaches past C's edge. */
const edge = new Float64Array(16);

/**
 * C = A·B (or C += A·B with `accumulate`) for A [rows, depth] and B [depth, columns], all three read
 * through strides: C[r, c] = Σ_p A[r, p]·B[p, c]. C is row-major from `c.offset` with row stride
 * `c.rowStride`. For products inside a kernel (im2col's per-image products in
 * solutions/layers/conv2d-fast.ts): it allocates nothing, and a transposed operand is just swapped
 * strides.
 *
 * As in matmulBlocked (matmul.ts), every 4 × 4 block of C is sixteen running sums in locals over the
 * whole depth, so each value loaded from A or B is used four times. At the edges a block reads the
 * last row of A or column of B again and stores only what lies inside C. The sums run over p in
 * order in float64, so they agree with the plain three loops to rounding. Checked against them in
 * tests/framework/matmul-into.test.ts.
 */
// biome-ignore format: the sixteen sums of a 4 × 4 block read as a grid, one row of C a line
export function matmulInto(
  rows: number,
  columns: number,
  depth: number,
  a: MatrixView,
  b: MatrixView,
  c: { readonly data: TypedArray; readonly offset: number; readonly rowStride: number },
  accumulate = false,
): void {
  const A = a.data;
  const B = b.data;
  const C = c.data;
  const { rowStride: aRow, columnStride: aStep } = a;
  const { rowStride: bStep, columnStride: bColumn } = b;
  for (let i = 0; i < rows; i += 4) {
    const a0 = a.offset + i * aRow;
    const a1 = a.offset + Math.min(i + 1, rows - 1) * aRow;
    const a2 = a.offset + Math.min(i + 2, rows - 1) * aRow;
    const a3 = a.offset + Math.min(i + 3, rows - 1) * aRow;
    for (let j = 0; j < columns; j += 4) {
      const b0 = b.offset + j * bColumn;
      const b1 = b.offset + Math.min(j + 1, columns - 1) * bColumn;
      const b2 = b.offset + Math.min(j + 2, columns - 1) * bColumn;
      const b3 = b.offset + Math.min(j + 3, columns - 1) * bColumn;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, pa = 0, pb = 0; p < depth; p++, pa += aStep, pb += bStep) {
        const x0 = A[a0 + pa], x1 = A[a1 + pa], x2 = A[a2 + pa], x3 = A[a3 + pa];
        let y = B[b0 + pb];
        c00 += x0 * y; c10 += x1 * y; c20 += x2 * y; c30 += x3 * y;
        y = B[b1 + pb];
        c01 += x0 * y; c11 += x1 * y; c21 += x2 * y; c31 += x3 * y;
        y = B[b2 + pb];
        c02 += x0 * y; c12 += x1 * y; c22 += x2 * y; c32 += x3 * y;
        y = B[b3 + pb];
        c03 += x0 * y; c13 += x1 * y; c23 += x2 * y; c33 += x3 * y;
      }
      const r0 = c.offset + i * c.rowStride + j;
      if (i + 4 <= rows && j + 4 <= columns) {
        const r1 = r0 + c.rowStride, r2 = r1 + c.rowStride, r3 = r2 + c.rowStride;
        if (accumulate) {
          C[r0] += c00; C[r0 + 1] += c01; C[r0 + 2] += c02; C[r0 + 3] += c03;
          C[r1] += c10; C[r1 + 1] += c11; C[r1 + 2] += c12; C[r1 + 3] += c13;
          C[r2] += c20; C[r2 + 1] += c21; C[r2 + 2] += c22; C[r2 + 3] += c23;
          C[r3] += c30; C[r3 + 1] += c31; C[r3 + 2] += c32; C[r3 + 3] += c33;
        } else {
          C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
          C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
          C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
          C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
        }
        continue;
      }
      // An edge block: keep what lies inside C.
      edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
      edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
      edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
      edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
      for (let r = 0; r < Math.min(4, rows - i); r++) {
        for (let s = 0; s < Math.min(4, columns - j); s++) {
          const at = r0 + r * c.rowStride + s;
          C[at] = accumulate ? C[at] + edge[r * 4 + s] : edge[r * 4 + s];
        }
      }
    }
  }
}
