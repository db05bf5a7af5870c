import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Tests import the implementation under test through the `#impl` alias.
 * DLKIT_IMPL=exercises points it at the generated stubs (what a student works on);
 * the default, solutions, is the reference (what the kit's own CI checks).
 */
const implementation = process.env.DLKIT_IMPL === 'exercises' ? 'exercises' : 'solutions';

export default defineConfig({
  resolve: {
    alias: [{ find: /^#impl\//, replacement: fileURLToPath(new URL(`./${implementation}/`, import.meta.url)) }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    // Prints the WebGPU adapter once per run (or why the GPU tests skip).
    globalSetup: ['tests/setup/webgpu-adapter.ts'],
    testTimeout: 60_000,
  },
});
