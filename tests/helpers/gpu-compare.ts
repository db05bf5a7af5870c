import { expect } from 'vitest';
import { formatShape, type Tensor } from '../../framework/index.js';

/**
 * Compares a WebGPU result with the CPU oracle: same shape, and every element within
 * `tolerance · (1 + |expected|)` (float32 against float64). The failure names the first bad element,
 * its multi-index and both values, which is usually enough to spot an indexing mistake.
 */
export async function expectGpuMatches(gpuResult: Tensor, expected: Tensor, tolerance: number, what: string): Promise<void> {
  expect(gpuResult.device, `${what}: the result should stay on the GPU`).toBe('webgpu');
  const actual = await gpuResult.to('cpu');
  expect(actual.shape, `${what}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`).toEqual(expected.shape);
  const got = actual.data;
  const want = expected.data;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tolerance * (1 + Math.abs(want[i])))) {
      expect.fail(`${what}: element [${multiIndex(i, expected.shape).join(', ')}] of ${formatShape(expected.shape)} is ${got[i]} on the GPU, ${want[i]} on the CPU (tolerance ${tolerance}). ${hint(got, want)}`);
    }
  }
}

function multiIndex(flat: number, shape: readonly number[]): number[] {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}

function hint(got: ArrayLike<number>, want: ArrayLike<number>): string {
  let zeros = 0;
  for (let i = 0; i < got.length; i++) if (got[i] === 0 && want[i] !== 0) zeros++;
  if (zeros > 0 && zeros === Array.from(want).filter((v) => v !== 0).length) return 'Every expected non-zero came back 0: did the kernel write its output at all (bounds check, binding order)?';
  if (zeros > 0) return `${zeros} elements came back 0 where they should not: some invocations did not write (check the grid covers the whole tensor).`;
  return 'Compare with the CPU reference in the kernel file, one index at a time.';
}
