// usage: npx tsx .speed/sweep.ts "<component substring>" "<title substring>" [nSeeds]
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { course } from '../course/course.js';
import { loadCheckCatalogue } from '../grader/checks/catalogue.js';
import { throughWire } from '../tests/harness/plain-data.js';
import { checkKey, checkSeed, PUBLIC_SEED } from '../tests/harness/seeds.js';
const [comp, title, n = '0'] = process.argv.slice(2);
const kitRoot = path.resolve('.');
const catalogue = await loadCheckCatalogue(kitRoot, course.exercises);
for (const file of catalogue.files) {
  const { checks } = file;
  if (checks.visibility !== 'public' || checks.webgpu) continue;
  const name = `${checks.exercise} ${checks.component}`;
  if (!name.includes(comp)) continue;
  for (const check of checks.checks) {
    if (!check.title.includes(title)) continue;
    const seeds = [checkSeed(PUBLIC_SEED, checkKey(checks.exercise, checks.component, check.id))];
    for (let i = 0; i < Number(n); i++) seeds.push(1000 + i * 7919);
    let fails = 0;
    for (const [k, seed] of seeds.entries()) {
      const t = performance.now();
      let ok = 'ok';
      try { const d = throughWire(await check.run(new catalogue.Rng(seed))); check.verify?.(d); } catch (e) { ok = 'FAIL ' + String((e as Error).message).slice(0, 200).replace(/\n/g, ' '); fails++; }
      const ms = performance.now() - t;
      if (k === 0 || ok !== 'ok' || process.env.V) console.log(`${name} | ${check.title.slice(0, 60)} | seed ${seed} | ${ms.toFixed(0)} ms | ${ok}`);
    }
    if (seeds.length > 1) console.log(`  -> ${seeds.length} seeds, ${fails} fail, rerun=${check.hiddenRerun ?? false}`);
  }
}
