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
 * Scratch reused across calls (the kernel runs synchronously, one call at a time): the packed
 * panels of B and one tile of C. Allocating them per call costs more than a small product.
 * Panels larger than KEPT_PANEL_SIZE elements (8 MB) are allocated per call and not kept.
 */
const KEPT_PANEL_SIZE = 1 << 20;
let keptPanels = new Float64Array(0);
const tile = new Float64Array(TILE * TILE);

/**
 * B rearranged into panels of TILE columns, each panel stored p-major: panels[j·k + p·TILE + c] =
 * B[p, j + c]. The inner loop then reads B in one sequential stream. Columns past n are zero.
 */
function packColumnPanels(B: ArrayLike<number>, k: number, n: number): Float64Array {
  const size = Math.ceil(n / TILE) * TILE * k;
  if (keptPanels.length < size && size <= KEPT_PANEL_SIZE) keptPanels = new Float64Array(size);
  const panels = keptPanels.length >= size ? keptPanels : new Float64Array(size);
  for (let j = 0; j < n; j += TILE) {
    const panel = j * k;
    const width = Math.min(TILE, n - j);
    for (let p = 0; p < k; p++) {
      for (let c = 0; c < TILE; c++) panels[panel + p * TILE + c] = c < width ? B[p * n + j + c] : 0;
    }
  }
  return panels;
}

/**
 * The same product, fast (several times the oracle at 512³, in plain TypeScript): each 4 × 4 block
 * of C is sixteen running sums kept in locals, so every value loaded from A or B is used four
 * times, and B is read from packed panels in unit stride. V8 does not vectorise, so register reuse
 * and sequential loads are what is left to win. At the edges (m or n not a multiple of 4) a block
 * reads the last row of A again and zero columns of the panel, and stores only what lies inside C.
 * The sums run over p in the same order as the oracle's, each in a float64 accumulator, so the two
 * agree exactly. Checked against `matmulNaive` in tests/framework/matmul.test.ts.
 */
// biome-ignore format: the sixteen sums of a 4 × 4 block read as a grid, one row of C a line
export function matmulBlocked(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const C = allocate(a.dtype, m * n);
  if (m === 0 || n === 0 || k === 0) return new Tensor([m, n], C);
  // One element type in the hot loop keeps V8's loads monomorphic; float32 A is widened once.
  const A = a.data instanceof Float64Array ? a.data : Float64Array.from(a.data);
  const B = packColumnPanels(b.data, k, n);
  for (let i = 0; i < m; i += TILE) {
    const a0 = i * k;
    const a1 = Math.min(i + 1, m - 1) * k;
    const a2 = Math.min(i + 2, m - 1) * k;
    const a3 = Math.min(i + 3, m - 1) * k;
    for (let j = 0; j < n; j += TILE) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let q = j * k;
      for (let p = 0; p < k; p++, q += TILE) {
        const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
        let y = B[q];
        c00 += x0 * y; c10 += x1 * y; c20 += x2 * y; c30 += x3 * y;
        y = B[q + 1];
        c01 += x0 * y; c11 += x1 * y; c21 += x2 * y; c31 += x3 * y;
        y = B[q + 2];
        c02 += x0 * y; c12 += x1 * y; c22 += x2 * y; c32 += x3 * y;
        y = B[q + 3];
        c03 += x0 * y; c13 += x1 * y; c23 += x2 * y; c33 += x3 * y;
      }
      const r0 = i * n + j;
      if (i + TILE <= m && j + TILE <= n) {
        const r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        C[r0] = c00; C[r0 + 1] = c01; C[r0 + 2] = c02; C[r0 + 3] = c03;
        C[r1] = c10; C[r1 + 1] = c11; C[r1 + 2] = c12; C[r1 + 3] = c13;
        C[r2] = c20; C[r2 + 1] = c21; C[r2 + 2] = c22; C[r2 + 3] = c23;
        C[r3] = c30; C[r3 + 1] = c31; C[r3 + 2] = c32; C[r3 + 3] = c33;
        continue;
      }
      // An edge block: keep what lies inside C.
      tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
      tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
      tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
      tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
      for (let r = 0; r < Math.min(TILE, m - i); r++) {
        for (let c = 0; c < Math.min(TILE, n - j); c++) C[r0 + r * n + c] = tile[r * TILE + c];
      }
    }
  }
  return new Tensor([m, n], C);
}
