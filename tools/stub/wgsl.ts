import { formatStubMarker } from '../../framework/backend/wgsl-stub-marker.js';
import type { Transform } from './stub-file.js';

/**
 * Step 3–4 for WGSL. A shader cannot throw, so every region (block or `// SOLUTION` line) becomes its
 * PROMPT text, if any, followed by the marker comment
 *   // dlkit:not-implemented ex5 MatMul docs/exercises/5-gpu-kernels.md#matmul
 * which the WebGPU runtime finds with `stubMarkerOf` / `throwIfStub` (framework/backend/
 * wgsl-stub-marker.ts) and turns into a NotImplementedError before it compiles the shader.
 * A stubbed kernel is therefore never compiled and need not be valid WGSL.
 */
export const replaceWgslRegions: Transform = (file) => {
  if (file.regions.length === 0) return file;
  const { exercise, component } = file.owner!;
  const marker = formatStubMarker({ exercise: exercise.id, component: component.name, handout: component.handout });
  const lines = file.text.split('\n');
  for (let index = file.regions.length - 1; index >= 0; index--) {
    const region = file.regions[index];
    const stub = [...(region.kind === 'block' ? (region.prompt?.lines ?? []) : []), region.indent + marker];
    if (region.kind === 'block') lines.splice(region.begin - 1, region.end - region.begin + 1, ...stub);
    else lines.splice(region.line - 1, 1, ...stub);
  }
  return { ...file, text: lines.join('\n') };
};
