import { labelsOf } from '../data/one-hot.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * counts[actual][predicted]: how often an example of class `actual` was predicted as `predicted`.
 * The diagonal holds the correct predictions. (The seeds have no confusion matrix; this is the
 * usual scikit-learn orientation: rows are true classes.)
 */
export function confusionMatrix(prediction: Tensor, target: Tensor): number[][] {
  const classes = target.shape[1];
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const predicted = labelsOf(prediction);
  labelsOf(target).forEach((actual, i) => {
    counts[actual][predicted[i]]++;
  });
  return counts;
}

/** The matrix as aligned text, with class names on both axes. */
export function formatConfusionMatrix(counts: number[][], classNames: readonly string[]): string {
  const width = Math.max(...classNames.map((name) => name.length), ...counts.flat().map((c) => String(c).length)) + 1;
  const pad = (text: string): string => text.padStart(width);
  const header = `${pad('')} | ${classNames.map(pad).join('')}   ← predicted`;
  const rows = counts.map((row, i) => `${pad(classNames[i])} | ${row.map((c) => pad(String(c))).join('')}`);
  return [header, '-'.repeat(header.length), ...rows].join('\n');
}
