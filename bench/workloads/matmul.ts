import { matmul, Rng, type Tensor } from '../../framework/index.js';
import { matmulNaive } from '../../framework/ops/cpu/matmul.js';
import type { Tfjs } from '../lib/tfjs.js';

/** Floating-point operations of an [n, n]·[n, n] product: n³ multiply-adds. */
export const matmulFlops = (n: number): number => 2 * n ** 3;

/** Two seeded N(0, 1) float64 matrices [n, n]. */
export function matmulInputs(n: number, seed = 3): [Tensor, Tensor] {
  const rng = new Rng(seed);
  return [rng.normalTensor([n, n]), rng.normalTensor([n, n])];
}

/** The kit's registered CPU kernel, reached as a layer reaches it: framework `matmul` → runKernel. */
export const kitMatmul = (a: Tensor, b: Tensor): Tensor => matmul(a, b);
/** The readable oracle: three loops in the order of the formula. */
export const naiveMatmul = (a: Tensor, b: Tensor): Tensor => matmulNaive(a, b);

/**
 * The same product in tfjs on its active backend (float32: what its cpu and wasm backends
 * compute in), with the inputs uploaded once. `run()` computes and reads back the product.
 */
export function tfjsMatmul(tf: Tfjs, a: Tensor, b: Tensor): { run(): Float32Array; dispose(): void } {
  const ta = tf.tensor2d(Float32Array.from(a.data), [a.shape[0], a.shape[1]]);
  const tb = tf.tensor2d(Float32Array.from(b.data), [b.shape[0], b.shape[1]]);
  return {
    run: () => {
      const product = tf.matMul(ta, tb);
      const values = product.dataSync() as Float32Array;
      product.dispose();
      return values;
    },
    dispose: () => tf.dispose([ta, tb]),
  };
}

/** Largest |actual − expected| relative to the largest |expected|; throws past `tolerance`. */
export function expectSameProduct(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what: string,
): void {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  if (actual.length !== expected.length || !(worst <= tolerance * scale)) {
    throw new Error(
      `${what}: the product disagrees with matmulNaive (max error ${worst.toExponential(2)} against a largest entry ${scale.toFixed(2)}, tolerance ${tolerance} relative)`,
    );
  }
}
