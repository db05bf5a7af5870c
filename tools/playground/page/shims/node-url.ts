/** node:url in the page: a URL's path (the WGSL shim's `dlkit-wgsl:` URLs map to their file names). */
export function fileURLToPath(url: URL | string): string {
  return new URL(url).pathname;
}

export function pathToFileURL(file: string): URL {
  return new URL(`dlkit-wgsl:${file}`);
}
