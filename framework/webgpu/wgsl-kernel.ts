import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotImplementedError } from '../errors.js';
import { stubMarkerOf } from '../backend/wgsl-stub-marker.js';

/**
 * How a kernel's buffers are bound, in binding order (all in `@group(0)`):
 *   'read'    → `var<storage, read>`        (an input tensor, or a small table of sizes)
 *   'write'   → `var<storage, read_write>`  (the output)
 *   'uniform' → `var<uniform>`              (the parameters: sizes, scalars)
 */
export type BindingKind = 'read' | 'write' | 'uniform';

/** One WGSL compute entry point and the bindings it expects. */
export interface WgslKernel {
  /** Names the kernel in errors and in the dispatch counter: 'relu', 'matmulTiled'. */
  readonly name: string;
  /** Where the source came from, for error messages (a path relative to the working directory). */
  readonly file: string;
  readonly source: string;
  readonly bindings: readonly BindingKind[];
  readonly entryPoint: string;
}

export interface WgslKernelOptions {
  name: string;
  bindings: readonly BindingKind[];
  entryPoint?: string;
}

/**
 * Loads a kernel from a `.wgsl` file next to the caller:
 *   `loadWgslKernel(new URL('./relu.wgsl', import.meta.url), { name: 'relu', bindings: ['read', 'write', 'uniform'] })`
 * Reading through `import.meta.url` works the same under vitest, tsx and plain Node.
 */
export function loadWgslKernel(url: URL, options: WgslKernelOptions): WgslKernel {
  const path = fileURLToPath(url);
  return defineWgslKernel(readFileSync(path, 'utf8'), { ...options, file: relative(process.cwd(), path) || path });
}

/** A kernel from source text (tests, and the runtime's own small kernels). */
export function defineWgslKernel(source: string, options: WgslKernelOptions & { file?: string }): WgslKernel {
  return {
    name: options.name,
    file: options.file ?? `<${options.name}>`,
    source,
    bindings: [...options.bindings],
    entryPoint: options.entryPoint ?? 'main',
  };
}

/**
 * A WGSL stub cannot throw, and an empty kernel would quietly return zeros, so the runtime looks
 * for the stub tool's `// dlkit:not-implemented <exercise> <Component> <handout>` line before
 * compiling (the format is defined once, in framework/backend/wgsl-stub-marker.ts).
 */
export { stubMarkerOf };

/** True when the kernel is still a stub. */
export function isStub(kernel: WgslKernel): boolean {
  return stubMarkerOf(kernel.source) !== undefined;
}

/** Throws NotImplementedError (naming the exercise, component and handout) for a stubbed kernel. */
export function assertImplemented(kernel: WgslKernel): void {
  const marker = stubMarkerOf(kernel.source);
  if (marker) throw new NotImplementedError(marker.exercise, marker.component, marker.handout);
}
