/// <reference types="@webgpu/types" />
/**
 * What `import('webgpu')` (framework/webgpu/context.ts) gives inside a grader bundle: sandbox/bundle.ts
 * maps the import here, because a bundle cannot hold the package's native addon. The runner loads the
 * real package (`loadWebGpuAddon`) before any case file or student module, from the path the
 * orchestrator gives it (bind-mounted read-only into the sandbox), and then turns `process.dlopen` off,
 * so the Dawn addon is the only native code a WebGPU component can load (docs/grader.md, "WebGPU
 * components"). Runs INSIDE the sandbox.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

interface WebGpuPackage {
  readonly create: (options: string[]) => GPU;
  readonly globals: Record<string, unknown>;
}

let loaded: WebGpuPackage | undefined;
let instance: { readonly options: string; readonly gpu: GPU } | undefined;

/**
 * Loads the `webgpu` package from `modulePath` (its index.js); called by the runner only. The URL
 * carries a random query, so the ES module cache holds the package under a key no student module can
 * name: a plain `import('/opt/webgpu/index.js')` evaluates the package anew, and its load of the addon
 * is refused (lockdown.ts forgets the addon in the CommonJS cache, runner.ts refuses `process.dlopen`).
 */
export async function loadWebGpuAddon(modulePath: string): Promise<void> {
  loaded = (await import(`${pathToFileURL(modulePath).href}?grader=${randomUUID()}`)) as WebGpuPackage;
  globals = loaded.globals;
}

/** The options framework/webgpu/context.ts passes to `create` (the backend), and nothing else: no Dawn toggles. */
const FRAMEWORK_OPTIONS = new Set(['', 'backend=opengles']);

/** The WebGPU constants (GPUBufferUsage, GPUMapMode, …) of the loaded package. */
export let globals: Record<string, unknown> = {};

/** `webgpu.create`: a GPU instance on the loaded Dawn addon. */
export function create(options: string[]): GPU {
  if (!loaded) {
    throw new Error(
      'WebGPU is not available to this component in the grader: only the components of a WebGPU exercise get the GPU (docs/grader.md, "WebGPU components")',
    );
  }
  // Only the framework's own device: one GPU instance per process, with the framework's options only,
  // so no code can ask Dawn for an instance with validation or robustness turned off.
  const key = options.join(',');
  if (!FRAMEWORK_OPTIONS.has(key))
    throw new Error(`WebGPU options other than the framework's are refused in the grader: ${key.slice(0, 200)}`);
  if (instance && instance.options !== key)
    throw new Error('the grader gives a process one WebGPU instance, already created with other options');
  instance ??= { options: key, gpu: loaded.create(options) };
  return instance.gpu;
}
