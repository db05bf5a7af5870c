/**
 * `npm run playground`: builds the page from your implementation and serves it on 127.0.0.1
 * (reload the page after you change your code). `npm run playground -- --build <dir>` writes the
 * static site instead. The implementation: DLKIT_IMPL, as for the tests (default: solutions/ in
 * the kit, exercises/ in a handout).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPlayground } from './build.js';
import { resolveImplementation } from './implementation.js';
import { servePlayground } from './server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { build: { type: 'string' }, port: { type: 'string', default: '4173' } } });

try {
  const implementation = resolveImplementation(root);
  const site = () => buildPlayground({ root, implementation: implementation.folder });
  if (values.build) {
    const out = path.resolve(values.build);
    for (const [name, bytes] of await site()) {
      mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
      writeFileSync(path.join(out, name), bytes);
    }
    console.log(
      `Playground (from ${implementation.label}) written to ${out}: serve that folder over http on localhost and open index.html.`,
    );
  } else {
    await site(); // fail now, in the terminal, rather than in the browser
    const server = await servePlayground({ site, port: Number(values.port) });
    console.log(
      `Playground (your code in ${implementation.label}): ${server.url}\nReload the page after you change your code; Ctrl+C stops the server.`,
    );
  }
} catch (error) {
  const inUse =
    (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? ' (another playground running? pick a port: npm run playground -- --port 4174)'
      : '';
  console.error(`playground: ${(error as Error).message}${inUse}`);
  process.exitCode = 1;
}
