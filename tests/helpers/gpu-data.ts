import { Tensor, type Rng } from '../../framework/index.js';
import {
  dispatch,
  readStorage,
  storageFrom,
  type UniformValue,
  type WgslKernel,
} from '../../framework/webgpu/index.js';
import { tensorData, type TensorData } from '../harness/index.js';

/**
 * Run-side helpers of the Exercise 5 checks: inputs the CPU and the GPU hold exactly, a WebGPU
 * result read back as plain data, and a kernel dispatched on buffers longer than its tensors (to show
 * that it reads and writes only the elements its `params` describe). Verify-side: gpu-compare.ts.
 */

/** Uniform values rounded to float32, so the CPU oracle and the GPU start from the same numbers. */
export function f32Tensor(rng: Rng, shape: readonly number[], low: number, high: number): Tensor {
  return new Tensor(
    shape,
    Float64Array.from(rng.uniformTensor(shape, low, high).data, (v) => Math.fround(v)),
  );
}

/** Multiples of `step` in [low, high]: exact in float32, zeros included (where relu' is 0), sums of products stay exact. */
export function gridTensor(rng: Rng, shape: readonly number[], low: number, high: number, step = 1): Tensor {
  const steps = Math.round((high - low) / step);
  const data = new Float64Array(shape.reduce((size, side) => size * side, 1));
  for (let i = 0; i < data.length; i++) data[i] = low + step * rng.int(steps + 1);
  return new Tensor(shape, data);
}

/** A WebGPU result as data: where it lives (it should stay on the GPU) and its values, read back. */
export interface GpuTensorData extends TensorData {
  readonly device: string;
}

export async function gpuResult(value: unknown, what: string): Promise<GpuTensorData> {
  if (!(value instanceof Tensor)) return { device: 'none', ...tensorData(value, what) };
  const device = String(value.device);
  return { device, ...tensorData(await value.to('cpu'), what) };
}

/** `await t.to('webgpu')` for each tensor. */
export async function toGpu(...tensors: Tensor[]): Promise<Tensor[]> {
  return Promise.all(tensors.map((t) => t.to('webgpu')));
}

/** The value the elements past a padded output hold before the kernel runs. */
export const SENTINEL = -7777;

/** NaN, +∞, −∞, … : what the padding past every input holds. */
const NON_FINITE = [NaN, Infinity, -Infinity];

/** What a kernel did on padded buffers: its output, and the padding past it that it changed. */
export interface PaddedData {
  readonly output: number[];
  readonly outputLength: number;
  /** [index past the output, value] of the padding elements that no longer hold SENTINEL (the first 8). */
  readonly writtenPast: Array<[number, number]>;
  readonly writtenPastCount: number;
}

/**
 * Dispatches `kernel` the way its `.ts` does (the same params and grid, given by the caller) but on
 * buffers longer than the tensors: each input is followed by NaN, +∞ and −∞, the output by SENTINEL.
 * A kernel that reads past an input (an unguarded load, a size taken from `arrayLength`) picks up a
 * non-finite value; one that writes past its output (a missing guard) changes the padding.
 */
export async function paddedDispatch(
  kernel: WgslKernel,
  inputs: readonly Tensor[],
  outputLength: number,
  params: readonly UniformValue[],
  workgroups: readonly [number, number?, number?],
): Promise<PaddedData> {
  const pad = (length: number): number => Math.max(4096, 2 * length + 8192);
  const inputStorages = inputs.map((input) => {
    const values = new Float32Array(input.size + pad(input.size));
    values.set(input.data);
    for (let i = input.size; i < values.length; i++) values[i] = NON_FINITE[(i - input.size) % 3];
    return storageFrom(values, `${kernel.name} padded input`);
  });
  const outputValues = new Float32Array(outputLength + pad(outputLength)).fill(SENTINEL, outputLength);
  const output = storageFrom(outputValues, `${kernel.name} padded output`);
  try {
    dispatch(kernel, { buffers: [...inputStorages, output], params, workgroups });
    const back = new Float32Array(await readStorage(output));
    const writtenPast: Array<[number, number]> = [];
    let writtenPastCount = 0;
    for (let i = outputLength; i < back.length; i++) {
      if (back[i] === SENTINEL) continue;
      writtenPastCount++;
      if (writtenPast.length < 8) writtenPast.push([i - outputLength, back[i]]);
    }
    return { output: Array.from(back.subarray(0, outputLength)), outputLength, writtenPast, writtenPastCount };
  } finally {
    for (const storage of [...inputStorages, output]) storage.destroy();
  }
}
