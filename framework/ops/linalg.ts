import '../ops/cpu/register.js';
import { runKernel } from '../backend/kernel-registry.js';
import { ShapeError, ValueError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Matrix product of A [m, k] and B [k, n]: C [m, n], C[i, j] = Σ_p A[i, p]·B[p, j]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[0]) {
    throw new ShapeError(
      `matmul expected A [m, k] and B [k, n], got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  return runKernel('matmul', [a, b]);
}

/** The transpose of a matrix [m, n] → [n, m]. */
export function transpose(a: Tensor): Tensor {
  if (a.rank !== 2) throw new ShapeError(`transpose expected a matrix [m, n], got ${formatShape(a.shape)}`);
  return runKernel('permute', [a], { axes: [1, 0] });
}

/** Reorders the axes: `permute(x, [0, 2, 1])` swaps the last two axes of a rank-3 tensor. */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  const sorted = [...axes].sort((p, q) => p - q);
  if (axes.length !== x.rank || sorted.some((axis, i) => axis !== i)) {
    throw new ValueError(
      `permute: axes [${axes.join(', ')}] are not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}`,
    );
  }
  return runKernel('permute', [x], { axes: [...axes] });
}
