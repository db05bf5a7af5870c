import { initWebGpu } from '../../../framework/webgpu/index.js';
import '#impl/kernels/index.js';

/**
 * The WebGPU switch (Exercise 5): with `navigator.gpu` the supported layers run on the student's
 * WGSL kernels (solutions/kernels or exercises/kernels, registered on import), through the same
 * framework runtime as in Node (page/shims/webgpu.ts hands it `navigator.gpu`).
 */
export function webGpuUnavailable(): string | undefined {
  if ('gpu' in navigator && navigator.gpu) return undefined;
  return window.isSecureContext
    ? 'this browser offers no WebGPU (navigator.gpu is missing): use a recent Chrome or Edge (Chromium: --enable-unsafe-webgpu)'
    : 'WebGPU needs a secure context: open the page on http://127.0.0.1 or localhost';
}

/** Starts the device; resolves to a line about the adapter, or throws why not. */
export async function startWebGpu(): Promise<string> {
  const { adapter } = await initWebGpu();
  const name =
    adapter.description ||
    adapter.device ||
    [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') ||
    'an unnamed adapter';
  return `${name}${adapter.isFallbackAdapter ? ' (software fallback adapter)' : ''}`;
}
