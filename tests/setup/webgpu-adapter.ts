/**
 * vitest globalSetup: prints the WebGPU adapter once per run, so every test log says what the GPU
 * tests ran on (in CI: Mesa lavapipe, a software Vulkan driver). Without an adapter it says the GPU
 * tests will skip, or, with DLKIT_REQUIRE_GPU=1 (CI), fails the run before any test starts.
 */
import { describeAdapter, destroyWebGpu, initWebGpu } from '../../framework/webgpu/index.js';

/**
 * vitest calls `setup` for the run and again for each project (tests/setup/test-projects.ts), each time
 * from a fresh copy of this module but in the same process: a flag on the process says it once.
 */
const SAID = Symbol.for('dlkit.webgpuAdapterSaid');

export async function setup(): Promise<void> {
  const run = globalThis as { [SAID]?: boolean };
  if (run[SAID]) return;
  run[SAID] = true;
  try {
    const context = await initWebGpu();
    console.log(`[dlkit] WebGPU adapter: ${describeAdapter(context.adapter)}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.DLKIT_REQUIRE_GPU === '1')
      throw new Error(`[dlkit] DLKIT_REQUIRE_GPU=1 but WebGPU is unavailable: ${reason}`);
    console.warn(`[dlkit] WebGPU unavailable, the GPU tests will skip: ${reason}`);
  } finally {
    await destroyWebGpu();
  }
}
