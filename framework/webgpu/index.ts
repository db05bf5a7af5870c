/**
 * The WebGPU runtime. Importing this module registers the 'webgpu' device (so `tensor.to('webgpu')`
 * works) and the framework's WebGPU kernels (element-wise arithmetic, reductions, permute, fill).
 * The exercise kernels (ReLU, matmul, softmax, conv2d, max-pool) register themselves from
 * solutions/kernels/ (or exercises/kernels/).
 *
 * Nothing here touches the GPU until the first upload or `initWebGpu()`: importing it is safe on a
 * machine without a driver.
 */
import './tensor-backend.js';
import './kernels/register.js';

export {
  initWebGpu,
  requireGpu,
  webgpuReady,
  destroyWebGpu,
  describeAdapter,
  requestedBackend,
  webgpuInstance,
} from './context.js';
export type { AdapterReport, GpuContext } from './context.js';
export {
  GpuStorage,
  createStorage,
  storageFrom,
  readStorage,
  gpuTensor,
  emptyGpuTensor,
  storageOf,
  releaseTensor,
} from './buffers.js';
export { dispatch, workgroupsFor, gpuDispatchCount, resetGpuDispatchCounts } from './dispatch.js';
export type { DispatchOptions, UniformValue } from './dispatch.js';
export { compileKernel } from './pipeline-cache.js';
export type { PipelineConstants } from './pipeline-cache.js';
export { loadWgslKernel, defineWgslKernel, stubMarkerOf, isStub, assertImplemented } from './wgsl-kernel.js';
export type { WgslKernel, BindingKind } from './wgsl-kernel.js';
export { WgslError } from './wgsl-error.js';
export type { WgslMessage } from './wgsl-error.js';
export { throwPendingGpuErrors } from './validation.js';
