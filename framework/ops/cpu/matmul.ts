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

/** Rows of A handled together, so that each loaded row of B is used four times. */
const ROWS = 4;
/** Columns of C per block, so that the block of C and the B rows it reads stay in cache. */
const COLUMN_BLOCK = 256;

/**
 * The same product, fast: the loop order i-p-j walks B and C along rows (unit stride), four rows of
 * A share each load of B, and columns are blocked for the cache. Checked against `matmulNaive`.
 */
export function matmulBlocked(a: Tensor, b: Tensor): Tensor {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const A = a.data;
  const B = b.data;
  const C = allocate(a.dtype, m * n);
  for (let j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
    const j1 = Math.min(n, j0 + COLUMN_BLOCK);
    let i = 0;
    for (; i + ROWS <= m; i += ROWS) {
      const c0 = i * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      for (let p = 0; p < k; p++) {
        const a0 = A[i * k + p];
        const a1 = A[(i + 1) * k + p];
        const a2 = A[(i + 2) * k + p];
        const a3 = A[(i + 3) * k + p];
        const row = p * n;
        for (let j = j0; j < j1; j++) {
          const bv = B[row + j];
          C[c0 + j] += a0 * bv;
          C[c1 + j] += a1 * bv;
          C[c2 + j] += a2 * bv;
          C[c3 + j] += a3 * bv;
        }
      }
    }
    for (; i < m; i++) {
      const c0 = i * n;
      for (let p = 0; p < k; p++) {
        const a0 = A[i * k + p];
        const row = p * n;
        for (let j = j0; j < j1; j++) C[c0 + j] += a0 * B[row + j];
      }
    }
  }
  return new Tensor([m, n], C);
}
