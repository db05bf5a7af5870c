import { createRequire, syncBuiltinESMExports } from 'node:module';
import v8 from 'node:v8';
import path from 'node:path';

/**
 * What the runner takes away from a case process before any student module loads (runs INSIDE the
 * sandbox). Each of these was used by a submission:
 *
 * - `v8.setFlagsFromString` changes V8's flags at run time (e.g. `--allow-natives-syntax`, or flags that
 *   weaken the heap limits): replaced by a function that throws, in the module's CommonJS exports and,
 *   through `syncBuiltinESMExports`, in `import { setFlagsFromString } from 'node:v8'`.
 * - The Dawn addon the runner loaded stays in Node's CommonJS module cache, where
 *   `createRequire(…)('…/dawn.node')` hands it over without loading anything (so the `process.dlopen`
 *   refusal never runs) and the submission could create its own GPU instance with validation skipped.
 *   Forgetting every cached module of the webgpu package makes such a require load the addon anew,
 *   which the refusal then stops.
 */
export function refuseV8Flags(): void {
  Object.defineProperty(v8, 'setFlagsFromString', {
    value: () => {
      throw new Error('V8 flags cannot be changed in the grader');
    },
    writable: false,
    configurable: false,
  });
  syncBuiltinESMExports();
}

export function forgetCachedModules(packageFolder: string): void {
  const cache = createRequire(import.meta.url).cache;
  const prefix = packageFolder.endsWith(path.sep) ? packageFolder : `${packageFolder}${path.sep}`;
  for (const key of Object.keys(cache)) if (key.startsWith(prefix)) delete cache[key];
}
