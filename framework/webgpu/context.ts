/// <reference types="@webgpu/types" />
import { DeviceError, StateError } from '../errors.js';

/** What the kit reports about the adapter it runs on (printed once per test run, recorded in benchmarks). */
export interface AdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
  /** The Dawn backend asked for: 'vulkan' (default) or 'opengles' (DLKIT_WEBGPU_BACKEND=opengles). */
  readonly backend: string;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxStorageBufferBindingSize: number;
}

/** The one device of this process and what was learnt about its adapter. */
export interface GpuContext {
  readonly device: GPUDevice;
  readonly adapter: AdapterReport;
}

/**
 * The GPU instance returned by `create()`. It must stay reachable for as long as any device lives:
 * when V8 collects it, Dawn frees state that its event loop still uses and Node aborts (a segfault,
 * or "futex facility returned an unexpected error code"). A module-level `let` that functions
 * below read keeps it alive; a top-level `const` that nothing reads later would not.
 */
let instance: GPU | undefined;
let adapterHandle: GPUAdapter | undefined;
let pending: Promise<GpuContext> | undefined;
let current: GpuContext | undefined;

const setupHint =
  'On Linux without a GPU install the software Vulkan driver (Mesa lavapipe): `sudo bash scripts/setup-webgpu.sh`. ' +
  'The GPU tests skip without an adapter unless DLKIT_REQUIRE_GPU=1.';

/** 'opengles' when DLKIT_WEBGPU_BACKEND asks for Dawn's OpenGL ES fallback, else 'vulkan'. */
export function requestedBackend(): 'vulkan' | 'opengles' {
  return process.env.DLKIT_WEBGPU_BACKEND === 'opengles' ? 'opengles' : 'vulkan';
}

/**
 * The WebGPU device, created on first use and shared by everything in this process.
 * Throws a DeviceError that says what to install when there is no adapter, and rejects Dawn's
 * null backend (it accepts every call and computes nothing, so read-backs would be garbage).
 */
export function initWebGpu(): Promise<GpuContext> {
  pending ??= createContext().then(
    (context) => (current = context),
    (error: unknown) => {
      pending = undefined;
      throw error;
    },
  );
  return pending;
}

/** The device if `initWebGpu` has finished; kernels call this (they are synchronous). */
export function requireGpu(where = 'WebGPU'): GpuContext {
  if (!current) {
    throw new StateError(
      `${where}: the WebGPU device is not ready yet; move a tensor there first with \`await tensor.to('webgpu')\` (or \`await initWebGpu()\`)`,
    );
  }
  return current;
}

/** True once the device exists. */
export function webgpuReady(): boolean {
  return current !== undefined;
}

/** Destroys the device (scripts call this before exiting); the next `initWebGpu` creates a new one. */
export async function destroyWebGpu(): Promise<void> {
  const context = current ?? (pending ? await pending.catch(() => undefined) : undefined);
  current = undefined;
  pending = undefined;
  adapterHandle = undefined;
  context?.device.destroy();
}

async function createContext(): Promise<GpuContext> {
  const backend = requestedBackend();
  if (backend === 'opengles') process.env.EGL_PLATFORM ??= 'surfaceless'; // GL without a display
  const webgpu = await import('webgpu');
  // GPUBufferUsage, GPUMapMode, GPUShaderStage… as the WebGPU globals a browser would have.
  for (const [name, value] of Object.entries(webgpu.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  instance ??= webgpu.create(backend === 'opengles' ? ['backend=opengles'] : []);
  const adapter = await instance.requestAdapter(backend === 'opengles' ? { featureLevel: 'compatibility' } : undefined);
  if (!adapter) throw new DeviceError(`WebGPU: no adapter found (backend ${backend}). ${setupHint}`);
  const report = reportOf(adapter, backend);
  if (report.device === 'null-backend') {
    throw new DeviceError(
      "WebGPU: the adapter is Dawn's null backend, which runs no kernels; use a real driver (see scripts/setup-webgpu.sh)",
    );
  }
  adapterHandle = adapter;
  // Device limits default to the spec's (on the GL compatibility adapter: 128 invocations per
  // workgroup); ask for what the adapter has so that 16×16 workgroups work everywhere.
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupSizeY: limits.maxComputeWorkgroupSizeY,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
    },
  });
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') console.error(`WebGPU device lost: ${info.reason} ${info.message}`);
    if (current?.device === device) {
      current = undefined;
      pending = undefined;
    }
  });
  // Errors outside an error scope would otherwise vanish; every kit dispatch has its own scope.
  device.addEventListener('uncapturederror', (event) => {
    console.error(`WebGPU uncaptured error: ${(event as GPUUncapturedErrorEvent).error.message}`);
  });
  return { device, adapter: report };
}

function reportOf(adapter: GPUAdapter, backend: string): AdapterReport {
  // adapter.info's fields are getters: console.log(info) shows nothing, so read them one by one.
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? legacy.isFallbackAdapter),
    backend,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** One line for logs and reports: `llvmpipe: Mesa 25.0.7 … (vendor mesa, software, fallback adapter, vulkan)`. */
export function describeAdapter(report: AdapterReport): string {
  const kind = [report.architecture, report.isFallbackAdapter ? 'fallback adapter' : undefined, report.backend]
    .filter(Boolean)
    .join(', ');
  return `${report.description || report.device} (vendor ${report.vendor || 'unknown'}, ${kind})`;
}

/** The adapter in use (kept referenced here: Dawn ties the device's lifetime to it). */
export function adapterInUse(): GPUAdapter | undefined {
  return adapterHandle;
}

/**
 * The `GPU` object (`navigator.gpu` in a browser) once `initWebGpu` has run: the benchmark hands it
 * to @tensorflow/tfjs-backend-webgpu so that both run on the same adapter.
 */
export function webgpuInstance(): GPU {
  if (!instance) throw new StateError('webgpuInstance: call `await initWebGpu()` first');
  return instance;
}
