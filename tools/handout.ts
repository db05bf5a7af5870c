/**
 * `npm run handout -- --out <dir>`: builds the student handout (tools/handout/build-handout.ts) in an
 * empty or new folder. Then: cd <dir> && npm ci && npm test.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildHandout } from './handout/build-handout.js';
import { loadKit } from './kit.js';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
if (!values.out) {
  console.error('Usage: npm run handout -- --out <empty or new folder>');
  process.exit(2);
}
const out = path.resolve(values.out);
try {
  buildHandout(await loadKit(), out);
  console.log(`Handout written to ${out}. Try it: cd ${out} && npm ci && npm test`);
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
