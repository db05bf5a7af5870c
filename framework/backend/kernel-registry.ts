import { DeviceError } from '../errors.js';
import type { Device, Tensor } from '../tensor/tensor.js';

/**
 * The seam between layers and arithmetic. A layer calls an operation by kernel name; the device of
 * its input tensors picks the implementation registered for (kernel, backend). The CPU kernels are
 * the readable oracle; the WebGPU backend registers float32 kernels under the same names, so the
 * layer code does not change when its tensors move to the GPU.
 */
export type KernelAttributes = Readonly<Record<string, unknown>>;
export type Kernel = (inputs: readonly Tensor[], attributes: KernelAttributes) => Tensor;

/** A registered kernel and how often it ran since the last reset (kept together: one lookup per dispatch). */
interface Registration {
  kernel: Kernel;
  dispatches: number;
}

const kernels = new Map<string, Registration>();

const keyOf = (name: string, backend: Device): string => `${name}@${backend}`;

/** Registers (or replaces) the implementation of `name` on `backend`. */
export function registerKernel(name: string, backend: Device, kernel: Kernel): void {
  const key = keyOf(name, backend);
  kernels.set(key, { kernel, dispatches: kernels.get(key)?.dispatches ?? 0 });
}

export function hasKernel(name: string, backend: Device): boolean {
  return kernels.has(keyOf(name, backend));
}

/** The (kernel, backend) pairs registered so far, for diagnostics. */
export function registeredKernels(): string[] {
  return [...kernels.keys()].sort();
}

/** The device all inputs share; mixing devices is an error that says how to fix it. */
export function deviceOf(inputs: readonly Tensor[], name: string): Device {
  const device = inputs[0]?.device ?? 'cpu';
  for (const input of inputs) {
    if (input.device !== device) {
      throw new DeviceError(`${name}: inputs live on different devices ('${device}' and '${input.device}'); move them with \`await tensor.to('${device}')\``);
    }
  }
  return device;
}

/** Runs kernel `name` on the device of its inputs. */
export function runKernel(name: string, inputs: readonly Tensor[], attributes: KernelAttributes = {}): Tensor {
  const device = deviceOf(inputs, name);
  const registration = kernels.get(keyOf(name, device));
  if (!registration) {
    throw new DeviceError(`No kernel '${name}' is registered for the '${device}' backend (registered: ${registeredKernels().filter((k) => k.endsWith(`@${device}`)).join(', ') || 'none'})`);
  }
  registration.dispatches++;
  return registration.kernel(inputs, attributes);
}

/** How often each (kernel, backend) ran since the last reset: lets a test prove which backend did the work. */
export function dispatchCount(name: string, backend: Device): number {
  return kernels.get(keyOf(name, backend))?.dispatches ?? 0;
}

export function resetDispatchCounts(): void {
  for (const registration of kernels.values()) registration.dispatches = 0;
}
