import path from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { datasetsModuleSource } from './datasets-module.js';
import { optionalComponents } from './page/optional-components.js';

/**
 * What it takes to run the kit's TypeScript in a browser, as one esbuild plugin:
 * * `#impl/…` → the chosen implementation folder (the tests' alias);
 * * `node:fs`, `node:path`, `node:url`, `node:zlib` → small shims in page/shims/ (the framework's data
 *   loaders and the WGSL loader import them; the page never calls the parts that need a disk);
 * * `webgpu` (Dawn, a Node addon) → a shim that hands out `navigator.gpu`;
 * * `new URL('./x.wgsl', import.meta.url)` in a kernel file → the WGSL text inlined at build time;
 * * `playground:data` → Iris and Digits as arrays (datasets-module.ts);
 * * `playground:optional` → the later exercises' classes that exist so far (page/optional-components.ts).
 */
export function browserPlugin(options: { root: string; implementation: string }): Plugin {
  const { root, implementation } = options;
  const shims = path.join(root, 'tools', 'playground', 'page', 'shims');
  const wgslFileShim = path.join(shims, 'wgsl-file.ts');
  return {
    name: 'dlkit-browser',
    setup(build) {
      build.onResolve({ filter: /^#impl\// }, (args) => ({
        path: path.join(implementation, args.path.slice('#impl/'.length).replace(/\.js$/, '.ts')),
      }));
      build.onResolve({ filter: /^node:(fs|path|url|zlib)$/ }, (args) => ({
        path: path.join(shims, `node-${args.path.slice(5)}.ts`),
      }));
      build.onResolve({ filter: /^webgpu$/ }, () => ({ path: path.join(shims, 'webgpu.ts') }));
      build.onResolve({ filter: /^playground:(data|optional)$/ }, (args) => ({
        path: args.path,
        namespace: 'playground',
      }));
      build.onLoad({ filter: /.*/, namespace: 'playground' }, (args) => ({
        contents: args.path === 'playground:data' ? datasetsModuleSource() : optionalModuleSource(implementation),
        loader: 'js',
        resolveDir: root,
      }));
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const pattern = /new URL\('(\.\/[^']+\.wgsl)', import\.meta\.url\)/g;
        if (!pattern.test(source)) return undefined;
        const inlined = source.replace(pattern, (call, relative: string) => {
          const file = path.join(path.dirname(args.path), relative);
          if (!existsSync(file)) return call; // an example in a comment
          return `__wgslFile(${JSON.stringify(path.relative(root, file))}, ${JSON.stringify(readFileSync(file, 'utf8'))})`;
        });
        return {
          contents: `import { wgslFile as __wgslFile } from ${JSON.stringify(wgslFileShim)};\n${inlined}`,
          loader: 'ts',
          watchFiles: [args.path],
        };
      });
    },
  };
}

/** `export const optional = { LeakyReLU: …, … }` with the classes that the implementation folder has. */
function optionalModuleSource(implementation: string): string {
  const present = optionalComponents.filter(({ kind, file }) => {
    const full = path.join(implementation, file);
    return existsSync(full) && new RegExp(`export class ${kind}\\b`).test(readFileSync(full, 'utf8'));
  });
  const imports = present.map(
    ({ kind, file }) => `import { ${kind} } from ${JSON.stringify(path.join(implementation, file))};`,
  );
  return `${imports.join('\n')}\nexport const optional = { ${present.map(({ kind }) => kind).join(', ')} };\n`;
}
