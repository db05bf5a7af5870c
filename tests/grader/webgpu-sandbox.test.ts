import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleChecks } from '../../grader/sandbox/bundle.js';
import { runCaseProcess } from '../../grader/sandbox/case-process.js';
import { probeIsolation } from '../../grader/sandbox/isolation.js';
import type { ErrorData } from '../../grader/sandbox/protocol.js';
import { kitRoot } from './helpers.js';

/**
 * A WebGPU component's process may load native addons so that the runner can load Dawn; after that, no
 * student module may load one (docs/grader.md, "WebGPU components"). Loading the webgpu package needs
 * no adapter, so these run on any machine.
 */
const reference = (file: string): string => readFileSync(path.join(kitRoot, 'solutions', file), 'utf8');

/**
 * With `webgpu`, the ex5 elementwise cases and a kernels/relu-kernels.ts with `attempt` added at its top
 * level; without, the ex1 ReLU cases and such an activations/relu.ts. What the process said while loading.
 */
async function loadWith(attempt: string, webgpu: boolean): Promise<{ loadError?: ErrorData; output: string }> {
  const owned = webgpu ? 'kernels/relu-kernels.ts' : 'activations/relu.ts';
  const caseFile = path.join(kitRoot, webgpu ? 'tests/ex5/elementwise-kernels.test.ts' : 'tests/ex1/relu.test.ts');
  const files = new Map([
    [owned, `${reference(owned)}\n${attempt}\n`],
    ['kernels/relu.wgsl', reference('kernels/relu.wgsl')],
    ['kernels/relu-backward.wgsl', reference('kernels/relu-backward.wgsl')],
  ]);
  const bundle = await bundleChecks(kitRoot, [caseFile], { kind: 'memory', files }, { webgpu });
  if (!bundle.ok) throw new Error(JSON.stringify(bundle.errors));
  let loadError: ErrorData | undefined;
  const run = runCaseProcess({
    code: bundle.code,
    config: { seed: 0, visibility: 'public', skip: [] },
    isolation: probeIsolation(),
    memoryBytes: 1024 * 1024 * 1024,
    caseTimeoutMs: 20_000,
    deadline: Date.now() + 30_000,
    webgpu,
    onFrame: (frame) => {
      const f = frame as { t: string; error?: ErrorData };
      if (f.t === 'load-error') loadError = f.error;
    },
  });
  const end = await run.done;
  return { loadError, output: end.output };
}

// Writes a file into the process's private temp dir (its working directory) and loads it as an addon.
const writeAndLoad = `
import { writeFileSync as writeAddon } from 'node:fs';
import { createRequire as requireFrom } from 'node:module';
const addon = process.cwd() + '/own.node';
writeAddon(addon, 'not an ELF file, but the loader must refuse before it looks');
requireFrom(addon)(addon);
`;

describe('grader WebGPU sandbox', () => {
  it('a WebGPU component cannot load an addon of its own, by require or by process.dlopen', async () => {
    const byRequire = await loadWith(writeAndLoad, true);
    expect(byRequire.loadError?.message, byRequire.output).toContain('native addons cannot be loaded in the grader');
    const byDlopen = await loadWith("process.dlopen({ exports: {} }, '/usr/lib/x86_64-linux-gnu/libc.so.6');", true);
    expect(byDlopen.loadError?.message, byDlopen.output).toContain('native addons cannot be loaded in the grader');
    const byRedefining = await loadWith("Object.defineProperty(process, 'dlopen', { value: () => 1 });", true);
    expect(byRedefining.loadError?.message, byRedefining.output).toMatch(/Cannot redefine property: dlopen/);
  }, 60_000);

  // Issue 17, item 6: the Dawn addon the runner loaded must not be reachable through a module cache.
  const webgpuIndex = 'JSON.parse(process.env.DLKIT_GRADER_CONFIG).webgpuModule';
  it('a WebGPU component cannot reach the loaded Dawn addon through the CommonJS module cache', async () => {
    const attempt = `
import { createRequire as requireFromCache } from 'node:module';
const index = ${webgpuIndex};
const dawn = index.replace(/index\\.js$/, 'dist/' + process.platform + '-' + process.arch + '/dawn.node');
requireFromCache(index)(dawn).create(['enable-dawn-features=skip_validation']);
`;
    const result = await loadWith(attempt, true);
    expect(result.loadError?.message, result.output).toContain('native addons cannot be loaded in the grader');
  }, 60_000);

  it('a WebGPU component cannot import the loaded webgpu package from the ES module cache', async () => {
    const result = await loadWith(
      `const own = await import(${webgpuIndex}); own.create(['enable-dawn-features=skip_validation']);`,
      true,
    );
    expect(result.loadError?.message, result.output).toContain('native addons cannot be loaded in the grader');
  }, 60_000);

  it('no component can change V8 flags at run time', async () => {
    for (const attempt of [
      "import { setFlagsFromString as setFlags } from 'node:v8'; setFlags('--allow-natives-syntax');",
      "import v8Module from 'node:v8'; v8Module.setFlagsFromString('--allow-natives-syntax');",
    ]) {
      const result = await loadWith(attempt, false);
      expect(result.loadError?.message, result.output).toContain('V8 flags cannot be changed in the grader');
    }
  }, 60_000);

  it('any other component cannot load addons at all', async () => {
    const byRequire = await loadWith(writeAndLoad, false);
    expect(byRequire.loadError?.message, byRequire.output).toMatch(
      /native addons cannot be loaded|addons|ERR_DLOPEN_DISABLED|Cannot load native addon/i,
    );
  }, 60_000);
});
