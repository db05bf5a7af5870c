import { allocate, Tensor } from '../../tensor/tensor.js';

/**
 * C = A·B for A [m, k] and B [k, n]: C[i, j] = Σ_p A[i, p]·B[p, j].
 * The oracle: three plain loops in the order of the formula.
 */
export function matmulNaive(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const A = a.data;
  const B = b.data;
  const C = allocate(a.dtype, m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A[i * k + p] * B[p * n + j];
      C[i * n + j] = sum;
    }
  }
  return new Tensor([m, n], C);
}

/** C is computed in TILE × TILE blocks whose sums stay in local variables (registers) for the whole k loop. */
const TILE = 4;

/**
 * B rearranged into panels of TILE columns, each panel stored p-major: panel[p·TILE + c] = B[p, j + c].
 * The inner loop then reads B in one sequential stream. Columns past n are zero (they add nothing).
 */
function packColumnPanels(B: ArrayLike<number>, k: number, n: number): Float64Array {
  const panels = new Float64Array(Math.ceil(n / TILE) * TILE * k);
  for (let j = 0; j < n; j += TILE) {
    const panel = j * k;
    const width = Math.min(TILE, n - j);
    for (let p = 0; p < k; p++) {
      for (let c = 0; c < width; c++) panels[panel + p * TILE + c] = B[p * n + j + c];
    }
  }
  return panels;
}

/**
 * The same product, fast (several times the oracle at 512³, in plain TypeScript): each 4 × 4 block
 * of C is sixteen running sums kept in locals, so every value loaded from A or B is used four
 * times, and B is read from packed panels in unit stride. V8 does not vectorise, so register reuse
 * and sequential loads are what is left to win. When m or n is not a multiple of 4 the blocks run
 * over a zero-padded C (the last row of A repeated, zero columns in the panels) and the inside is
 * copied out. The sums run over p in the same order as the oracle's, so in float64 the two agree
 * exactly. Checked against `matmulNaive` in tests/framework/matmul.test.ts.
 */
export function matmulBlocked(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const C = allocate(a.dtype, m * n);
  if (m === 0 || n === 0 || k === 0) return new Tensor([m, n], C);
  const rows = Math.ceil(m / TILE) * TILE;
  const columns = Math.ceil(n / TILE) * TILE;
  // One element type in the hot loop keeps V8's loads and stores monomorphic.
  const A = a.data instanceof Float64Array ? a.data : Float64Array.from(a.data);
  const direct = C instanceof Float64Array && rows === m && columns === n;
  const out = direct ? C : new Float64Array(rows * columns);
  multiplyTiles(A, packColumnPanels(b.data, k, n), out, m, k, rows, columns);
  if (!direct) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) C[i * n + j] = out[i * columns + j];
  }
  return new Tensor([m, n], C);
}

/** out[rows, columns] = A·B by 4 × 4 tiles, B given as column panels; rows of A past m repeat its last row. */
function multiplyTiles(A: Float64Array, panels: Float64Array, out: Float64Array, m: number, k: number, rows: number, columns: number): void {
  for (let i = 0; i < rows; i += TILE) {
    const a0 = i * k;
    const a1 = Math.min(i + 1, m - 1) * k;
    const a2 = Math.min(i + 2, m - 1) * k;
    const a3 = Math.min(i + 3, m - 1) * k;
    for (let j = 0; j < columns; j += TILE) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let q = j * k;
      for (let p = 0; p < k; p++, q += TILE) {
        const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
        let y = panels[q];
        c00 += x0 * y; c10 += x1 * y; c20 += x2 * y; c30 += x3 * y;
        y = panels[q + 1];
        c01 += x0 * y; c11 += x1 * y; c21 += x2 * y; c31 += x3 * y;
        y = panels[q + 2];
        c02 += x0 * y; c12 += x1 * y; c22 += x2 * y; c32 += x3 * y;
        y = panels[q + 3];
        c03 += x0 * y; c13 += x1 * y; c23 += x2 * y; c33 += x3 * y;
      }
      const r0 = i * columns + j, r1 = r0 + columns, r2 = r1 + columns, r3 = r2 + columns;
      out[r0] = c00; out[r0 + 1] = c01; out[r0 + 2] = c02; out[r0 + 3] = c03;
      out[r1] = c10; out[r1 + 1] = c11; out[r1 + 2] = c12; out[r1 + 3] = c13;
      out[r2] = c20; out[r2 + 1] = c21; out[r2 + 2] = c22; out[r2 + 3] = c23;
      out[r3] = c30; out[r3 + 1] = c31; out[r3 + 2] = c32; out[r3 + 3] = c33;
    }
  }
}
