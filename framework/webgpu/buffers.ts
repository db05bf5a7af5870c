import { DeviceError } from '../errors.js';
import { formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { initWebGpu, requireGpu } from './context.js';
import { throwPendingGpuErrors } from './validation.js';

/**
 * The elements of a WebGPU tensor: one storage buffer of float32 (or u32 for index tables), row-major,
 * `length` elements. Buffers are at least 4 bytes because WebGPU cannot bind an empty one; kernels
 * take their sizes from uniforms, never from `arrayLength`, so the padding is never read.
 */
export class GpuStorage {
  constructor(
    readonly buffer: GPUBuffer,
    readonly length: number,
  ) {}

  /** Frees the GPU memory now instead of at garbage collection (benchmarks with large tensors). */
  destroy(): void {
    this.buffer.destroy();
  }
}

const storageUsage = (): number => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A zero-filled buffer of `length` elements (WebGPU zero-initialises new buffers). */
export function createStorage(length: number, label = 'tensor'): GpuStorage {
  const { device } = requireGpu('createStorage');
  return new GpuStorage(device.createBuffer({ label, size: Math.max(4, length * 4), usage: storageUsage() }), length);
}

/** A buffer holding `values` (float32 or u32), written while mapped at creation. */
export function storageFrom(values: Float32Array | Uint32Array, label = 'tensor'): GpuStorage {
  const { device } = requireGpu('storageFrom');
  const buffer = device.createBuffer({
    label,
    size: Math.max(4, values.byteLength),
    usage: storageUsage(),
    mappedAtCreation: true,
  });
  const target =
    values instanceof Float32Array
      ? new Float32Array(buffer.getMappedRange())
      : new Uint32Array(buffer.getMappedRange());
  target.set(values);
  buffer.unmap();
  return new GpuStorage(buffer, values.length);
}

/** Copies `length` elements of a buffer back to the host. Throws the first pending kernel error first. */
export async function readStorage(storage: GpuStorage, length = storage.length): Promise<ArrayBuffer> {
  const { device } = requireGpu('readStorage');
  const byteLength = Math.max(4, length * 4);
  const staging = device.createBuffer({
    label: 'read-back',
    size: byteLength,
    usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(storage.buffer, 0, staging, 0, byteLength);
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    await throwPendingGpuErrors();
    return staging.getMappedRange().slice(0, length * 4);
  } finally {
    if (staging.mapState === 'mapped') staging.unmap();
    staging.destroy();
  }
}

/** A WebGPU tensor over `storage`. */
export function gpuTensor(shape: readonly number[], storage: GpuStorage): Tensor {
  if (storage.length < sizeOf(shape)) {
    throw new DeviceError(`gpuTensor: a buffer of ${storage.length} elements cannot hold ${formatShape(shape)}`);
  }
  return new Tensor(shape, undefined, { device: 'webgpu', dtype: 'float32', storage });
}

/** A new zero-filled WebGPU tensor (a kernel's output). */
export function emptyGpuTensor(shape: readonly number[]): Tensor {
  return gpuTensor(shape, createStorage(sizeOf(shape)));
}

/** The buffer behind a WebGPU tensor, or an error that says which call got a tensor from elsewhere. */
export function storageOf(tensor: Tensor, where: string): GpuStorage {
  if (tensor.device !== 'webgpu' || !(tensor.storage instanceof GpuStorage)) {
    throw new DeviceError(
      `${where}: expected a tensor on 'webgpu', got one on '${tensor.device}'; move it with \`await tensor.to('webgpu')\``,
    );
  }
  return tensor.storage;
}

/** CPU → GPU: float64 values are rounded to float32, the precision WebGPU computes in. */
export async function uploadTensor(tensor: Tensor): Promise<Tensor> {
  await initWebGpu();
  const values = tensor.data instanceof Float32Array ? tensor.data : Float32Array.from(tensor.data);
  return gpuTensor(tensor.shape, storageFrom(values));
}

/** GPU → CPU as a float32 tensor. */
export async function downloadTensor(tensor: Tensor): Promise<Tensor> {
  const storage = storageOf(tensor, "Tensor.to('cpu')");
  const size = sizeOf(tensor.shape);
  return new Tensor(tensor.shape, new Float32Array(await readStorage(storage, size)));
}

/** A copy of a WebGPU tensor in a new buffer. */
export function cloneGpuTensor(tensor: Tensor): Tensor {
  const { device } = requireGpu('Tensor.clone');
  const source = storageOf(tensor, 'Tensor.clone');
  const copy = createStorage(tensor.size, 'clone');
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(source.buffer, 0, copy.buffer, 0, Math.max(4, tensor.size * 4));
  device.queue.submit([encoder.finish()]);
  return gpuTensor(tensor.shape, copy);
}

/** Frees a WebGPU tensor's buffer now; the tensor (and any reshaped view of it) must not be used after. */
export function releaseTensor(tensor: Tensor): void {
  if (tensor.device === 'webgpu') storageOf(tensor, 'releaseTensor').destroy();
}
