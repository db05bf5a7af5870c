import { ShapeError, ValueError } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { labelsOf } from '../data/one-hot.js';
import type { Tensor } from '../tensor/tensor.js';

/** Precision, recall and F1 of every class, and their unweighted (macro) means. */
export interface ClassMetrics {
  /** TP / (TP + FP) per class: of the examples predicted as the class, the share that is it. */
  readonly precision: number[];
  /** TP / (TP + FN) per class: of the examples of the class, the share predicted as it. */
  readonly recall: number[];
  /** 2·P·R / (P + R) per class: the harmonic mean of precision and recall. */
  readonly f1: number[];
  /** Examples of each class (the row sums of the confusion matrix). */
  readonly support: number[];
  readonly macroPrecision: number;
  readonly macroRecall: number;
  readonly macroF1: number;
}

/**
 * Per-class metrics from a confusion matrix `counts[actual][predicted]` (framework/metrics/
 * confusion-matrix.ts), one class against the rest (seed 004: 4812–4821, binary measures; 4831:
 * "adapted versions" for several classes): TP = counts[k][k], FP = column sum − TP, FN = row sum − TP.
 *
 * F1 is the standard harmonic mean of precision and recall. Seed 004: 4822 writes F1 = 2·TPV·TNV /
 * (TPV + TNV), the harmonic mean of the true positive and true negative values (recall and
 * specificity): that is not the F1 score, and the kit does not follow it (seeds catalogue E1).
 *
 * Zero divisions are defined as 0, never NaN (scikit-learn's `zero_division=0`): a class that is never
 * predicted has precision 0; a class without examples has recall 0; F1 is 0 when P + R = 0.
 */
export function classMetrics(counts: readonly (readonly number[])[]): ClassMetrics {
  const classes = counts.length;
  if (classes === 0 || counts.some((row) => row.length !== classes))
    throw new ShapeError(
      `classMetrics expected a square confusion matrix, got ${classes} rows of lengths ${counts.map((row) => row.length).join(', ')}`,
    );
  const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
  const support = counts.map((row) => row.reduce((sum, c) => sum + c, 0));
  const predicted = counts[0].map((_, k) => counts.reduce((sum, row) => sum + row[k], 0));
  const precision = counts.map((row, k) => ratio(row[k], predicted[k]));
  const recall = counts.map((row, k) => ratio(row[k], support[k]));
  const f1 = precision.map((p, k) => ratio(2 * p * recall[k], p + recall[k]));
  const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / classes;
  return {
    precision,
    recall,
    f1,
    support,
    macroPrecision: mean(precision),
    macroRecall: mean(recall),
    macroF1: mean(f1),
  };
}

/**
 * Share of rows whose true class is among the k highest scores (seed 004: 4832: "Top-K error:
 * True class label is not in the K classes with the highest prediction score"; top-K error =
 * 1 − topKAccuracy). Ties are broken by the lower class index, as argmax takes the first maximum, so
 * top-1 accuracy equals `accuracy`. `target` is one-hot [batch, classes].
 */
export function topKAccuracy(prediction: Tensor, target: Tensor, k: number): number {
  if (
    prediction.rank !== 2 ||
    target.rank !== 2 ||
    prediction.shape[0] !== target.shape[0] ||
    prediction.shape[1] !== target.shape[1]
  ) {
    throw new ShapeError(
      `topKAccuracy expected prediction and target of the same shape [batch, classes], got ${formatShape(prediction.shape)} and ${formatShape(target.shape)}`,
    );
  }
  const [rows, classes] = prediction.shape;
  if (!Number.isInteger(k) || k < 1 || k > classes)
    throw new ValueError(`topKAccuracy: k must be an integer from 1 to the number of classes (${classes}), got ${k}`);
  const actual = labelsOf(target);
  const scores = prediction.data;
  let hits = 0;
  for (let row = 0; row < rows; row++) {
    const offset = row * classes;
    const own = scores[offset + actual[row]];
    let ahead = 0;
    for (let c = 0; c < classes; c++) {
      const score = scores[offset + c];
      if (score > own || (score === own && c < actual[row])) ahead++;
    }
    if (ahead < k) hits++;
  }
  return rows === 0 ? 0 : hits / rows;
}
