import { allocate, Tensor, type LabelledDataset, type Rng } from '../../framework/index.js';

/**
 * A stand-in for the Digits data set in checks that the grader runs: its sandbox cannot read data/
 * (loadDigits reads data/digits.csv.gz), so a check whose `run` trains on Digits would fail there.
 * `count` 8×8 images [count, 1, 8, 8] in [0, 1] of four classes of strokes at random positions
 * (0: a vertical bar, 1: a horizontal bar, 2: a diagonal, 3: an anti-diagonal, each 2 pixels wide), on
 * noise U[0, 0.15). A small CNN separates them after a few dozen steps; the position varies, so
 * convolution and pooling are what make it easy. (The same images as the old grader cases' strokeImages.)
 */
export function strokeImages(rng: Rng, count: number): { x: Tensor; y: Tensor; labels: number[] } {
  const x = allocate('float64', count * 64);
  const y = allocate('float64', count * 4);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const label = rng.int(4);
    const offset = rng.int(7);
    const shift = rng.int(5) - 2;
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const onStroke = [j - offset, i - offset, j - i - shift, i + j - 7 - shift][label];
        x[n * 64 + i * 8 + j] = onStroke === 0 || onStroke === 1 ? 1 : 0.15 * rng.uniform();
      }
    }
    y[n * 4 + label] = 1;
    labels.push(label);
  }
  return { x: new Tensor([count, 1, 8, 8], x), y: new Tensor([count, 4], y), labels };
}

/** Stroke images as a labelled data set, `layout` 'image' ([count, 1, 8, 8]) or 'flat' ([count, 64]). */
export function strokeDataset(rng: Rng, count: number, layout: 'image' | 'flat' = 'image'): LabelledDataset {
  const { x, y, labels } = strokeImages(rng, count);
  return {
    x: layout === 'flat' ? x.reshape([count, 64]) : x,
    y,
    labels,
    classNames: ['vertical', 'horizontal', 'diagonal', 'anti-diagonal'],
  };
}
