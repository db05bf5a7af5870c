import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bugged } from './index.js';
import { applyVariant } from './variant.js';

/**
 * Writes a copy of solutions/ with one or more bugged variants applied, to run the tests against:
 *
 *   npx tsx tests/bugged/write-variant.ts fully-connected-weight-grad-divided-by-batch
 *   DLKIT_IMPL=.bugged npx vitest run tests/ex1/fully-connected.test.ts
 *
 * The copy must sit directly inside the kit (default `.bugged/`, ignored by git): solution files import
 * the framework as `../../framework/…`, which only resolves one level below the kit's root.
 */
const { values, positionals } = parseArgs({
  options: { out: { type: 'string' }, list: { type: 'boolean' } },
  allowPositionals: true,
});
if (values.list) {
  for (const variant of bugged) console.log(`${variant.id}\t${variant.exercise} ${variant.component}\t${variant.bug}`);
  process.exit(0);
}
if (positionals.length === 0) {
  console.error('usage: write-variant.ts [--out <folder in the kit root>] <variant id>… (or --list)');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const out = path.resolve(root, values.out ?? '.bugged');
if (path.dirname(out) !== path.resolve(root)) {
  console.error(
    `--out must be a folder directly inside the kit (${path.relative(process.cwd(), root) || '.'}), e.g. .bugged: solution files import ../../framework`,
  );
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(path.join(root, 'solutions'), out, { recursive: true });
for (const id of positionals) {
  const variant = bugged.find((v) => v.id === id);
  if (!variant) {
    console.error(`no bugged variant '${id}'; --list shows them`);
    process.exit(2);
  }
  const target = path.join(out, variant.file);
  writeFileSync(target, applyVariant(variant, readFileSync(target, 'utf8')));
  console.log(`${variant.id}: ${variant.file}`);
}
