/// <reference types="@webgpu/types" />
/**
 * What `import('webgpu')` (framework/webgpu/context.ts) gives inside a grader bundle: sandbox/bundle.ts
 * maps the import here, because a bundle cannot hold the package's native addon. The runner loads the
 * real package (`loadWebGpuAddon`) before any case file or student module, from the path the
 * orchestrator gives it (bind-mounted read-only into the sandbox), and then turns `process.dlopen` off,
 * so the Dawn addon is the only native code a WebGPU component can load (docs/grader.md, "WebGPU
 * components"). Runs INSIDE the sandbox.
 */
interface WebGpuPackage {
  readonly create: (options: string[]) => GPU;
  readonly globals: Record<string, unknown>;
}

let loaded: WebGpuPackage | undefined;

/** Loads the `webgpu` package from `modulePath` (its index.js); called by the runner only. */
export async function loadWebGpuAddon(modulePath: string): Promise<void> {
  loaded = (await import(modulePath)) as WebGpuPackage;
  globals = loaded.globals;
}

/** The WebGPU constants (GPUBufferUsage, GPUMapMode, …) of the loaded package. */
export let globals: Record<string, unknown> = {};

/** `webgpu.create`: a GPU instance on the loaded Dawn addon. */
export function create(options: string[]): GPU {
  if (!loaded) {
    throw new Error('WebGPU is not available to this component in the grader: only the components of a WebGPU exercise get the GPU (docs/grader.md, "WebGPU components")');
  }
  return loaded.create(options);
}
