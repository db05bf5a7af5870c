/**
 * WGSL sources inlined by the build (tools/playground/browser-plugin.ts). A kernel file's
 * `new URL('./relu.wgsl', import.meta.url)` becomes `wgslFile('solutions/kernels/relu.wgsl', text)`:
 * a `dlkit-wgsl:` URL that the node:url and node:fs shims turn back into the text.
 */
const sources = new Map<string, string>();

export function wgslFile(file: string, source: string): URL {
  sources.set(file, source);
  return new URL(`dlkit-wgsl:${file}`);
}

export function wgslSource(file: string): string | undefined {
  return sources.get(file);
}
