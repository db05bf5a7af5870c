import { NotImplementedError } from '../errors.js';

/**
 * A WGSL kernel cannot throw, so the stub tool marks a stubbed kernel with one comment line,
 *   // dlkit:not-implemented ex5 MatMul docs/exercises/5-gpu-kernels.md#matmul
 * in place of each solution region. The WebGPU runtime (framework/webgpu/wgsl-kernel.ts,
 * `assertImplemented`) checks `stubMarkerOf(source)` before it compiles a shader, so a student sees
 * the same NotImplementedError as on the CPU instead of a WGSL compile error (the stub body may not
 * even be valid WGSL: it is never compiled).
 * The format lives here, in framework/, because the runtime that reads it ships to students;
 * tools/stub/wgsl.ts writes it with `formatStubMarker`.
 */
export interface StubMarker {
  readonly exercise: string;
  readonly component: string;
  readonly handout: string;
}

/** At the start of a line (after indentation), so the words inside a longer comment or string do not count. */
const markerPattern = /^[ \t]*\/\/[ \t]*dlkit:not-implemented[ \t]+(\S+)[ \t]+(\S+)[ \t]+(\S+)/m;

/** The marker comment line (without indentation) for one stubbed region. */
export function formatStubMarker(marker: StubMarker): string {
  for (const [field, value] of Object.entries(marker)) {
    if (!/^\S+$/.test(value))
      throw new Error(`formatStubMarker: ${field} must be one word without spaces, got '${value}'`);
  }
  return `// dlkit:not-implemented ${marker.exercise} ${marker.component} ${marker.handout}`;
}

/** The first stub marker in a WGSL source, or undefined when the kernel is implemented. */
export function stubMarkerOf(wgslSource: string): StubMarker | undefined {
  const match = markerPattern.exec(wgslSource);
  return match ? { exercise: match[1], component: match[2], handout: match[3] } : undefined;
}

/** Throws the NotImplementedError a stubbed kernel stands for; does nothing for an implemented one. */
export function throwIfStub(wgslSource: string): void {
  const marker = stubMarkerOf(wgslSource);
  if (marker) throw new NotImplementedError(marker.exercise, marker.component, marker.handout);
}
