import { registerDeviceBackend } from '../backend/devices.js';
import { cloneGpuTensor, downloadTensor, gpuTensor, storageOf, uploadTensor } from './buffers.js';

/**
 * Teaches Tensor about the 'webgpu' device: `await t.to('webgpu')` uploads (as float32),
 * `await t.to('cpu')` reads back, and reshape/clone stay on the GPU (a reshape shares the buffer).
 */
registerDeviceBackend({
  device: 'webgpu',
  upload: uploadTensor,
  download: downloadTensor,
  reshape: (tensor, shape) => gpuTensor(shape, storageOf(tensor, 'Tensor.reshape')),
  clone: cloneGpuTensor,
});
