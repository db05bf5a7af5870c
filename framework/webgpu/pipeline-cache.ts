import { initWebGpu, type GpuContext } from './context.js';
import { assertImplemented, type WgslKernel } from './wgsl-kernel.js';
import { WgslError, type WgslMessage } from './wgsl-error.js';

/** Override constants of a pipeline: the static configuration (`override OP: u32;` in WGSL). */
export type PipelineConstants = Readonly<Record<string, number>>;

/** A compiled kernel: its pipeline, its bind group layout, and (once known) why it failed to compile. */
export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly bindGroupLayout: GPUBindGroupLayout;
  /** Resolves when the compiler has spoken; rejects with a WgslError for invalid WGSL. */
  readonly ready: Promise<void>;
  /** Set once `ready` has rejected, so later dispatches throw at once. */
  error?: WgslError;
}

/**
 * Compiling WGSL takes milliseconds; a training step dispatches dozens of kernels. Pipelines are
 * cached per device, per kernel, per set of override constants.
 */
const cache = new WeakMap<GPUDevice, WeakMap<WgslKernel, Map<string, CompiledKernel>>>();

const keyOf = (constants: PipelineConstants): string =>
  Object.keys(constants)
    .sort()
    .map((name) => `${name}=${constants[name]}`)
    .join(',');

/** The cached pipeline for (kernel, constants), compiling it on first use. Throws for a stub. */
export function compiledKernel(
  context: GpuContext,
  kernel: WgslKernel,
  constants: PipelineConstants = {},
): CompiledKernel {
  assertImplemented(kernel);
  let byKernel = cache.get(context.device);
  if (!byKernel) {
    byKernel = new WeakMap();
    cache.set(context.device, byKernel);
  }
  let byConstants = byKernel.get(kernel);
  if (!byConstants) {
    byConstants = new Map();
    byKernel.set(kernel, byConstants);
  }
  const key = keyOf(constants);
  let compiled = byConstants.get(key);
  if (!compiled) {
    compiled = compile(context.device, kernel, constants);
    byConstants.set(key, compiled);
  }
  if (compiled.error) throw compiled.error;
  return compiled;
}

/** Compiles a kernel and waits for the verdict: resolves, or rejects with a WgslError naming file:line:column. */
export async function compileKernel(kernel: WgslKernel, constants: PipelineConstants = {}): Promise<void> {
  const context = await initWebGpu();
  await compiledKernel(context, kernel, constants).ready;
}

function compile(device: GPUDevice, kernel: WgslKernel, constants: PipelineConstants): CompiledKernel {
  // Invalid WGSL never throws here: WebGPU returns an invalid object and reports the error to the
  // innermost error scope, which is read asynchronously below.
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: kernel.file, code: kernel.source });
  const bindGroupLayout = device.createBindGroupLayout({
    label: kernel.name,
    entries: kernel.bindings.map((kind, binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: kind === 'read' ? 'read-only-storage' : kind === 'write' ? 'storage' : 'uniform' },
    })),
  });
  const pipeline = device.createComputePipeline({
    label: kernel.name,
    layout: device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] }),
    compute: { module, entryPoint: kernel.entryPoint, constants: { ...constants } },
  });
  const scope = device.popErrorScope();
  const compiled: CompiledKernel = {
    pipeline,
    bindGroupLayout,
    ready: scope.then(async (error) => {
      if (!error) return;
      const info = await module.getCompilationInfo();
      const messages: WgslMessage[] = info.messages.map((m) => ({
        type: m.type,
        line: m.lineNum,
        column: m.linePos,
        message: m.message,
      }));
      const what = messages.some((m) => m.type === 'error')
        ? 'does not compile'
        : `does not match the bindings the runtime gives it (${kernel.bindings.map((kind, i) => `@binding(${i}) ${describe(kind)}`).join(', ')})`;
      compiled.error = new WgslError(kernel, what, error.message, messages);
      throw compiled.error;
    }),
  };
  compiled.ready.catch(() => undefined); // reported by the dispatch that uses it, or by compileKernel
  return compiled;
}

function describe(kind: string): string {
  return kind === 'read' ? 'var<storage, read>' : kind === 'write' ? 'var<storage, read_write>' : 'var<uniform>';
}
