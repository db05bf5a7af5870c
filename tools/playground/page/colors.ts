/** One colour per class (Tableau 10), as RGB. */
export const classColors: readonly (readonly [number, number, number])[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

/** A diverging colour for v in [−1, 1]: blue (negative), white (0), red (positive). */
export function diverging(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v));
  return t >= 0
    ? [255, Math.round(255 * (1 - t)), Math.round(255 * (1 - t))]
    : [Math.round(255 * (1 + t)), Math.round(255 * (1 + t)), 255];
}

/**
 * Paints a `rows × columns` grid of values as a picture on `canvas` (nearest-neighbour, scaled up),
 * colour from `color(value)`. Values are normalised by the caller.
 */
export function paintGrid(
  canvas: HTMLCanvasElement,
  values: ArrayLike<number>,
  rows: number,
  columns: number,
  color: (v: number) => readonly [number, number, number],
): void {
  const small = document.createElement('canvas');
  small.width = columns;
  small.height = rows;
  const image = new ImageData(columns, rows);
  for (let i = 0; i < rows * columns; i++) {
    const [r, g, b] = color(values[i]);
    image.data.set([r, g, b, 255], i * 4);
  }
  small.getContext('2d')!.putImageData(image, 0, 0);
  const context = canvas.getContext('2d')!;
  context.imageSmoothingEnabled = false;
  context.drawImage(small, 0, 0, canvas.width, canvas.height);
}
