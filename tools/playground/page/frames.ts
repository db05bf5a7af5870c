/** Resolves at the next animation frame: long work awaits this between pieces, so the page keeps drawing. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}
