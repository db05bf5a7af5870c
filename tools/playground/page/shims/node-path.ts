/** node:path in the page: just enough for the WGSL loader's error messages. */
export function relative(_from: string, to: string): string {
  return to;
}

export function join(...parts: string[]): string {
  return parts.join('/');
}

export default { relative, join };
