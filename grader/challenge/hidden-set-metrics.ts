import { classMetrics } from '../../framework/metrics/classification-metrics.js';

/**
 * What the orchestrator computes from the scores the sandbox returned and the hidden labels (which
 * never enter the sandbox): each image's predicted class is the argmax of its scores (the first
 * maximum on a tie, as `labelsOf` and `accuracy` take it), then
 *
 *   counts[actual][predicted]   (rows: true classes, framework/metrics/confusion-matrix.ts)
 *   accuracy = Σₖ counts[k][k] / N
 *
 * and per-class precision, recall and F1 from the matrix (framework/metrics/classification-metrics.ts).
 */
export interface HiddenSetMetrics {
  readonly accuracy: number;
  readonly confusionMatrix: number[][];
  readonly precision: number[];
  readonly recall: number[];
  readonly f1: number[];
  readonly support: number[];
}

export function hiddenSetMetrics(
  scores: readonly (readonly number[])[],
  labels: ArrayLike<number>,
  classes: number,
): HiddenSetMetrics {
  if (scores.length !== labels.length)
    throw new RangeError(`hiddenSetMetrics: ${scores.length} rows of scores for ${labels.length} labels`);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let i = 0; i < scores.length; i++) {
    const row = scores[i];
    let predicted = 0;
    for (let k = 1; k < classes; k++) if (row[k] > row[predicted]) predicted = k;
    counts[labels[i]][predicted]++;
    if (predicted === labels[i]) correct++;
  }
  const metrics = classMetrics(counts);
  return {
    accuracy: scores.length === 0 ? 0 : correct / scores.length,
    confusionMatrix: counts,
    precision: metrics.precision,
    recall: metrics.recall,
    f1: metrics.f1,
    support: metrics.support,
  };
}
