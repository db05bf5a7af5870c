import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { kitRoot } from './fixture-kit.js';

/**
 * A student handout of the kit's real course, built by the `npm run handout` CLI into a temp folder,
 * with node_modules linked from the kit (tests/tools/handout.test.ts does the real `npm ci`, on the
 * fixture course). `cleanup()` removes it.
 */
export function buildKitHandout(): { folder: string; scratch: string; cleanup(): void } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'dlkit-kit-handout-'));
  const folder = path.join(scratch, 'handout');
  const build = spawnSync(
    process.execPath,
    [path.join(kitRoot, 'node_modules/tsx/dist/cli.mjs'), 'tools/handout.ts', '--out', folder],
    { cwd: kitRoot, encoding: 'utf8', env: cleanEnvironment() },
  );
  if (build.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    throw new Error(`npm run handout failed:\n${build.stdout}${build.stderr}`);
  }
  symlinkSync(path.join(kitRoot, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return { folder, scratch, cleanup: () => rmSync(scratch, { recursive: true, force: true }) };
}
