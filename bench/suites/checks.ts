import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { course } from '../../course/course.js';
import { loadCheckCatalogue } from '../../grader/checks/catalogue.js';
import { throughWire } from '../../tests/harness/plain-data.js';
import { checkKey, checkSeed, PUBLIC_SEED } from '../../tests/harness/seeds.js';

/**
 * What each component's public checks cost against the reference (no vitest, no sandbox): `run`,
 * the plain-data trip and `verify` of every check, timed in this process, one JSON line per component
 * with its slowest check. The grader runs exactly these checks for every submission, so their sum is
 * the floor of grading one submission. WebGPU components are left out (the gpu suite times kernels).
 * Runs only when named: `npm run bench -- checks`.
 */
export const runByDefault = false;

const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function* checksSuite(): AsyncGenerator<Record<string, unknown>> {
  const catalogue = await loadCheckCatalogue(kitRoot, course.exercises);
  let total = 0;
  for (const file of catalogue.files) {
    const { checks } = file;
    if (checks.visibility !== 'public' || checks.webgpu) continue;
    let componentMs = 0;
    let slowest = { title: '', ms: 0 };
    for (const check of checks.checks) {
      const started = performance.now();
      const data = throughWire(
        await check.run(
          new catalogue.Rng(checkSeed(PUBLIC_SEED, checkKey(checks.exercise, checks.component, check.id))),
        ),
      );
      check.verify?.(data);
      const ms = performance.now() - started;
      componentMs += ms;
      if (ms > slowest.ms) slowest = { title: check.title, ms };
    }
    total += componentMs;
    yield {
      name: `${checks.exercise} ${checks.component}`,
      checks: checks.checks.length,
      ms: Number(componentMs.toFixed(1)),
      slowest_check: slowest.title,
      slowest_ms: Number(slowest.ms.toFixed(1)),
    };
  }
  yield { name: 'all public checks', ms: Number(total.toFixed(1)) };
}
