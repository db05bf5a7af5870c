import { wgslSource } from './wgsl-file.js';

/** node:fs in the page: only the inlined WGSL files exist (the data sets come from `playground:data`). */
export function readFileSync(file: string): string {
  const source = wgslSource(String(file));
  if (source === undefined)
    throw new Error(`${String(file)}: the playground has no file system (only inlined WGSL kernels)`);
  return source;
}

export function existsSync(file: string): boolean {
  return wgslSource(String(file)) !== undefined;
}
