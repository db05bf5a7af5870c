import { beforeAll, describe, it } from 'vitest';
import { Rng } from '../../framework/random/rng.js';
import { webgpuForTests, type GpuForTests } from '../helpers/webgpu.js';
import { KIND_GROUPS, type CheckKind, type ComponentChecks } from './checks.js';
import { throughWire } from './plain-data.js';
import { checkKey, checkSeed, PUBLIC_SEED } from './seeds.js';

declare module 'vitest' {
  interface TaskMeta {
    /** A check's relative weight within its component: the scoreboard's share of the points. */
    checkWeight?: number;
  }
}

const KIND_ORDER: readonly CheckKind[] = ['property', 'gradient', 'known-value', 'bad-input', 'training'];

/**
 * Turns a component's checks into vitest tests: `describe('ex1 FullyConnected')`, a group per kind,
 * one `it` per check. Each test runs the check exactly as the grader does: the same seed, the result
 * sent through the same plain-data encoding, then `verify`. The check's weight travels in the test's
 * meta, where the scoreboard reads it. (The grader's bundles replace this module with one that
 * registers nothing: grader/sandbox/no-registration.ts.)
 */
export function registerWithVitest(file: ComponentChecks): void {
  describe(`${file.exercise} ${file.component}`, () => {
    let gpu: GpuForTests | undefined;
    if (file.webgpu) {
      beforeAll(async () => {
        gpu = await webgpuForTests();
      });
    }
    for (const kind of KIND_ORDER) {
      const checks = file.checks.filter((check) => check.kind === kind);
      if (checks.length === 0) continue;
      describe(KIND_GROUPS[kind], () => {
        for (const check of checks) {
          it(check.title, async ({ task, skip }) => {
            task.meta.checkWeight = check.weight ?? 1;
            if (file.webgpu && !gpu?.context) skip(`no WebGPU adapter: ${gpu?.skipReason ?? 'not probed'}`);
            const rng = new Rng(checkSeed(PUBLIC_SEED, checkKey(file.exercise, file.component, check.id)));
            const data = throughWire(await check.run(rng));
            check.verify!(data);
          });
        }
      });
    }
  });
}
