import { expect } from 'vitest';
import { formatShape, type Tensor } from '../../framework/index.js';
import { closeEnough, fail } from '../harness/index.js';
import type { PlainTensor } from './cpu-reference.js';
import type { GpuTensorData, PaddedData } from './gpu-data.js';

/**
 * Compares a WebGPU result with the CPU oracle: same shape, and every element within
 * `tolerance · (1 + |expected|)` (float32 against float64). The failure names the first bad element,
 * its multi-index and both values, which is usually enough to spot an indexing mistake.
 */
export async function expectGpuMatches(
  gpuResult: Tensor,
  expected: Tensor,
  tolerance: number,
  what: string,
): Promise<void> {
  expect(gpuResult.device, `${what}: the result should stay on the GPU`).toBe('webgpu');
  const actual = await gpuResult.to('cpu');
  expect(actual.shape, `${what}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`).toEqual(
    expected.shape,
  );
  const got = actual.data;
  const want = expected.data;
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tolerance * (1 + Math.abs(want[i])))) {
      expect.fail(
        `${what}: element [${multiIndex(i, expected.shape).join(', ')}] of ${formatShape(expected.shape)} is ${got[i]} on the GPU, ${want[i]} on the CPU (tolerance ${tolerance}). ${hint(got, want)}`,
      );
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
  let nonFinite = 0;
  for (let i = 0; i < got.length; i++) if (!Number.isFinite(got[i]) && Number.isFinite(want[i])) nonFinite++;
  if (nonFinite > 0)
    return `${nonFinite} elements came back NaN or ±∞: an exp that overflowed (subtract the maximum first), or a read past the end of an input (guard every load with the sizes from params).`;
  let zeros = 0;
  for (let i = 0; i < got.length; i++) if (got[i] === 0 && want[i] !== 0) zeros++;
  if (zeros > 0 && zeros === Array.from(want).filter((v) => v !== 0).length)
    return 'Every expected non-zero came back 0: did the kernel write its output at all (bounds check, binding order)?';
  if (zeros > 0)
    return `${zeros} elements came back 0 where they should not: some invocations did not write (check the grid covers the whole tensor).`;
  return 'Compare with the CPU reference in the kernel file, one index at a time.';
}

/**
 * Verify-side (pure, on plain data): a GPU result against the CPU oracle recomputed in `verify`.
 * Checks that it stayed on the GPU, its shape, then every element within
 * `tolerance · (1 + |expected|)`; the failure names the first bad element's multi-index, both values,
 * and a hint (all zeros: nothing written; NaN: an overflow or a read past the data).
 */
export function expectGpuResult(received: GpuTensorData, expected: PlainTensor, tolerance: number, what: string): void {
  if (received.device !== 'webgpu')
    fail(`${what}: the result is on '${received.device}'; a WebGPU kernel's output should stay on the GPU`);
  expectGpuValues(received.data, received.shape, expected, tolerance, what);
}

/** The output of a padded dispatch (gpu-data.ts): nothing written past the output, and the output right. */
export function expectPaddedResult(received: PaddedData, expected: PlainTensor, tolerance: number, what: string): void {
  if (received.writtenPastCount > 0) {
    const shown = received.writtenPast.map(([at, value]) => `${at} (${value})`).join(', ');
    fail(
      `${what}: the kernel wrote ${received.writtenPastCount} elements PAST the end of its output of ${received.outputLength} elements ` +
        `(padding elements ${shown}${received.writtenPastCount > received.writtenPast.length ? ', …' : ''}). ` +
        'The grid overshoots the tensor: guard every write with the sizes from params (not arrayLength, buffers may be padded).',
    );
  }
  expectGpuValues(
    received.output,
    [...expected.shape],
    expected,
    tolerance,
    `${what} (inputs followed by NaN, +∞ and −∞ in their buffers)`,
  );
}

function expectGpuValues(
  got: readonly number[],
  shape: readonly number[],
  expected: PlainTensor,
  tolerance: number,
  what: string,
): void {
  if (shape.length !== expected.shape.length || shape.some((d, i) => d !== expected.shape[i])) {
    fail(`${what}: shape ${formatShape(shape)}, expected ${formatShape(expected.shape)}`);
  }
  const want = expected.data;
  for (let i = 0; i < want.length; i++) {
    if (!closeEnough(got[i], want[i], tolerance)) {
      fail(
        `${what}: element [${multiIndex(i, expected.shape).join(', ')}] of ${formatShape(expected.shape)} is ${got[i]} on the GPU, ` +
          `${want[i]} by the definition (tolerance ${tolerance}). ${hint(got, want)}`,
      );
    }
  }
}
