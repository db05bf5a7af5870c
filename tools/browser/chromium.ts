import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (scripts/setup-grader.sh installs it); the kit never downloads a browser. */
export const chromiumPath = '/usr/bin/chromium';

export function chromiumMissing(): string | undefined {
  return existsSync(chromiumPath)
    ? undefined
    : `Chromium is missing at ${chromiumPath}: run scripts/setup-grader.sh (apt-get install chromium)`;
}

/**
 * Headless Chromium on a fresh, empty profile (removed by `close`), for the playground's tests and
 * benchmark and the grader's report tests. With
 * `webgpu`, WebGPU is switched on (`--enable-unsafe-webgpu`) on its software adapter (SwiftShader
 * through ANGLE/Vulkan), which needs no GPU.
 */
export async function launchChromium(
  options: { webgpu?: boolean } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'dlkit-chromium-'));
  const gpuArgs = options.webgpu
    ? [
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        '--use-vulkan=swiftshader',
        '--use-webgpu-adapter=swiftshader',
        '--use-angle=swiftshader',
      ]
    : ['--disable-gpu'];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...gpuArgs,
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
