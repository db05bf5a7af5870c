import { DeviceError } from '../errors.js';
import type { Device, Tensor } from '../tensor/tensor.js';

/**
 * What a non-CPU device provides to the Tensor class: moving elements between host and device,
 * and the two structural operations every tensor has. The WebGPU runtime registers one of these.
 */
export interface DeviceBackend {
  readonly device: Device;
  upload(tensor: Tensor): Promise<Tensor>;
  download(tensor: Tensor): Promise<Tensor>;
  reshape(tensor: Tensor, shape: readonly number[]): Tensor;
  clone(tensor: Tensor): Tensor;
}

const backends = new Map<Device, DeviceBackend>();

export function registerDeviceBackend(backend: DeviceBackend): void {
  backends.set(backend.device, backend);
}

export function deviceBackend(device: Device): DeviceBackend {
  const backend = backends.get(device);
  if (!backend) {
    throw new DeviceError(
      `No backend for device '${device}' is loaded: import its runtime first (for WebGPU: framework/webgpu)`,
    );
  }
  return backend;
}
