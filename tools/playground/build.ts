import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { browserPlugin } from './browser-plugin.js';

/** The built site: URL path (no leading slash) → bytes. */
export type Site = Map<string, Uint8Array>;

/** Files of the page folder copied as they are. */
const staticFiles = ['index.html', 'style.css'];

/**
 * Bundles the page (tools/playground/page/main.ts) with the student's implementation behind
 * `#impl/…`, and adds the static files and the exercise handouts (the page's "implement … first"
 * messages link to them). In memory: the server serves it, `--build` writes it.
 */
export async function buildPlayground(options: { root: string; implementation: string }): Promise<Site> {
  const { root } = options;
  const page = path.join(root, 'tools', 'playground', 'page');
  const result = await build({
    entryPoints: [path.join(page, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: '/',
    write: false,
    sourcemap: true,
    logLevel: 'silent',
    inject: [path.join(page, 'shims', 'process.ts')],
    define: {
      DLKIT_PLAYGROUND_IMPLEMENTATION: JSON.stringify(`${path.relative(root, options.implementation) || '.'}/`),
    },
    plugins: [browserPlugin(options)],
  });
  const site: Site = new Map();
  for (const file of result.outputFiles) site.set(path.basename(file.path), file.contents);
  for (const file of staticFiles) site.set(file, readFileSync(path.join(page, file)));
  const handouts = path.join(root, 'docs', 'exercises');
  for (const file of readdirSync(handouts).filter((name) => name.endsWith('.md'))) {
    site.set(`docs/exercises/${file}`, readFileSync(path.join(handouts, file)));
  }
  return site;
}
