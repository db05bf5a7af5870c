import { DeviceError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { GpuStorage, storageOf } from './buffers.js';
import { requireGpu } from './context.js';
import { compiledKernel, type PipelineConstants } from './pipeline-cache.js';
import { WgslError } from './wgsl-error.js';
import type { WgslKernel } from './wgsl-kernel.js';
import { watchErrorScope } from './validation.js';

/** One field of a kernel's uniform struct, in declaration order. Every field is 4 bytes. */
export type UniformValue = { readonly u32: number } | { readonly i32: number } | { readonly f32: number };

export interface DispatchOptions {
  /** The storage bindings in the kernel's order: WebGPU tensors, or raw storage (index tables). */
  readonly buffers: readonly (Tensor | GpuStorage)[];
  /** The uniform struct's fields, for a kernel with a 'uniform' binding. */
  readonly params?: readonly UniformValue[];
  /** Workgroups along x, y, z (`@builtin(num_workgroups)`). */
  readonly workgroups: readonly [number, number?, number?];
  /** Override constants: a different value compiles (and caches) a different pipeline. */
  readonly constants?: PipelineConstants;
}

const dispatches = new Map<string, number>();

/**
 * Runs a kernel once on the GPU: binds the buffers and the uniforms, dispatches the workgroups and
 * submits, inside a validation error scope. Returns at once; the GPU works in the background, and
 * `await tensor.to('cpu')` waits for it (and throws the first error any dispatch caused).
 */
export function dispatch(kernel: WgslKernel, options: DispatchOptions): void {
  const context = requireGpu(`kernel '${kernel.name}'`);
  const { device } = context;
  const compiled = compiledKernel(context, kernel, options.constants);
  const [x, y = 1, z = 1] = options.workgroups;
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  for (const count of [x, y, z]) {
    if (!Number.isInteger(count) || count < 0 || count > limit) {
      throw new DeviceError(
        `kernel '${kernel.name}': cannot dispatch ${x}×${y}×${z} workgroups (at most ${limit} per dimension); split the work or use more invocations per workgroup`,
      );
    }
  }
  const uniformCount = kernel.bindings.filter((kind) => kind === 'uniform').length;
  const storageCount = kernel.bindings.length - uniformCount;
  if (
    options.buffers.length !== storageCount ||
    uniformCount > 0 !== (options.params !== undefined) ||
    uniformCount > 1
  ) {
    throw new DeviceError(
      `kernel '${kernel.name}' binds [${kernel.bindings.join(', ')}] but was given ${options.buffers.length} buffers${options.params ? ' and uniforms' : ''}`,
    );
  }
  dispatches.set(kernel.name, (dispatches.get(kernel.name) ?? 0) + 1);
  if (x * y * z === 0) return;

  let next = 0;
  const storages = kernel.bindings.map((kind, binding) => {
    if (kind === 'uniform') return undefined;
    const given = options.buffers[next++];
    return given instanceof GpuStorage ? given : storageOf(given, `kernel '${kernel.name}' binding ${binding}`);
  });

  device.pushErrorScope('validation');
  const uniforms = options.params ? uniformBuffer(device, options.params, kernel.name) : undefined;
  const entries = storages.map(
    (storage, binding): GPUBindGroupEntry => ({ binding, resource: { buffer: storage ? storage.buffer : uniforms! } }),
  );
  const bindGroup = device.createBindGroup({ label: kernel.name, layout: compiled.bindGroupLayout, entries });
  const encoder = device.createCommandEncoder({ label: kernel.name });
  const pass = encoder.beginComputePass({ label: kernel.name });
  pass.setPipeline(compiled.pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(x, y, z);
  pass.end();
  device.queue.submit([encoder.finish()]);
  uniforms?.destroy(); // freed once the submitted work is done
  watchErrorScope(device.popErrorScope(), async (error) => {
    // A pipeline that failed to compile makes every dispatch fail: report the compiler's message.
    const compileError = await compiled.ready.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (compileError instanceof Error) return compileError;
    return new WgslError(kernel, `was rejected when dispatched (${x}×${y}×${z} workgroups)`, error.message);
  });
}

/** Packs the uniform fields, 4 bytes each, into a buffer padded to 16 bytes. */
function uniformBuffer(device: GPUDevice, params: readonly UniformValue[], label: string): GPUBuffer {
  const size = Math.max(16, Math.ceil((params.length * 4) / 16) * 16);
  const buffer = device.createBuffer({ label, size, usage: GPUBufferUsage.UNIFORM, mappedAtCreation: true });
  const view = new DataView(buffer.getMappedRange());
  params.forEach((param, i) => {
    if ('u32' in param) view.setUint32(i * 4, param.u32, true);
    else if ('i32' in param) view.setInt32(i * 4, param.i32, true);
    else view.setFloat32(i * 4, param.f32, true);
  });
  buffer.unmap();
  return buffer;
}

/** Workgroups needed to cover `count` items with `perWorkgroup` invocations each. */
export function workgroupsFor(count: number, perWorkgroup: number): number {
  return Math.ceil(count / perWorkgroup);
}

/** How many times a WGSL kernel was dispatched since the last reset (proof that the GPU did the work). */
export function gpuDispatchCount(kernelName: string): number {
  return dispatches.get(kernelName) ?? 0;
}

export function resetGpuDispatchCounts(): void {
  dispatches.clear();
}
