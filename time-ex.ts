import { performance } from 'node:perf_hooks';
import { course } from './course/course.js';
import { loadCheckCatalogue } from './grader/checks/catalogue.js';

import { throughWire } from './tests/harness/plain-data.js';
import { checkKey, checkSeed, PUBLIC_SEED } from './tests/harness/seeds.js';
const ids = process.argv.slice(2);
const cat = await loadCheckCatalogue(process.cwd(), course.exercises.filter((e) => ids.includes(e.id)));
let total = 0;
const rows: [number, string][] = [];
for (const f of cat.files) {
  if (f.checks.visibility !== 'public') continue;
  let comp = 0;
  for (const c of f.checks.checks) {
    const t = performance.now();
    const d = throughWire(await c.run(new cat.Rng(checkSeed(PUBLIC_SEED, checkKey(f.checks.exercise, f.checks.component, c.id)))));
    c.verify?.(d);
    const ms = performance.now() - t; comp += ms; rows.push([ms, `${f.checks.component} ${c.id}`]);
  }
  total += comp; console.log(f.checks.component, comp.toFixed(0));
}
rows.sort((a, b) => b[0] - a[0]); for (const r of rows.slice(0, 12)) console.log(r[0].toFixed(0), r[1]);
console.log('total', total.toFixed(0));
