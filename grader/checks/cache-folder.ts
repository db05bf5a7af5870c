import path from 'node:path';

/**
 * Where the grader keeps what it derives from the kit alone, never from a submission: the bundled
 * check files (catalogue.ts) and the reference's data for hidden checks (reference-cache.ts). Inside
 * the kit, so that a bundle's `import 'vitest'` resolves to the kit's node_modules, and shared by every
 * run of this kit: each file is named by the fingerprint of what it was made from (and the seed), so a
 * second batch into another `--out` reuses it and a changed check or solution never reads a stale one.
 */
export function graderCacheFolder(kitRoot: string): string {
  return path.join(kitRoot, 'node_modules/.cache/dlkit-grader');
}
