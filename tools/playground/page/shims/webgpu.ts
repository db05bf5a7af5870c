/// <reference types="@webgpu/types" />
/**
 * The npm `webgpu` package (Dawn for Node) as the browser has it: `create()` gives `navigator.gpu`,
 * and the GPUBufferUsage… constants are already globals. framework/webgpu/context.ts runs unchanged.
 */
export const globals = {};

export function create(): GPU {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('this browser offers no navigator.gpu (WebGPU)');
  return gpu;
}
