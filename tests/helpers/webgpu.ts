import { describe, it } from 'vitest';
import { describeAdapter, initWebGpu, type GpuContext } from '../../framework/webgpu/index.js';

/**
 * The WebGPU device for a test file, or why there is none. Test files call this at the top level:
 *
 *   const gpu = await webgpuForTests();
 *   describeOnGpu(gpu, 'ex5 ReluKernel', () => { … });
 *
 * Without an adapter the GPU tests skip with the reason, unless DLKIT_REQUIRE_GPU=1 (set in CI),
 * which turns "no adapter" into a failure of the file.
 */
export interface GpuForTests {
  readonly context: GpuContext | undefined;
  readonly skipReason: string;
}

export const gpuRequired = process.env.DLKIT_REQUIRE_GPU === '1';

export async function webgpuForTests(): Promise<GpuForTests> {
  try {
    const context = await initWebGpu();
    return { context, skipReason: '' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (gpuRequired) throw new Error(`DLKIT_REQUIRE_GPU=1 but WebGPU is unavailable: ${reason}`);
    return { context: undefined, skipReason: reason };
  }
}

/** `describe` that skips without a device, and then says why in a skipped test of its own. */
export function describeOnGpu(gpu: GpuForTests, name: string, body: () => void): void {
  if (gpu.context) {
    describe(name, body);
    return;
  }
  describe.skip(name, body);
  describe(name, () => it.skip(`skipped, no WebGPU: ${gpu.skipReason}`, () => undefined));
}

/** The adapter line recorded in reports. */
export function adapterLine(gpu: GpuForTests): string {
  return gpu.context ? describeAdapter(gpu.context.adapter) : `no WebGPU adapter: ${gpu.skipReason}`;
}
