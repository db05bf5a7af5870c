import { ShapeError } from '../../framework/index.js';

/** argmax of each score row (the first of equal maxima), the class a model predicts. */
export function predictedClasses(scores: readonly (readonly number[])[]): number[] {
  return scores.map((row) => row.reduce((best, value, index) => (value > row[best] ? index : best), 0));
}

/** The share of rows whose argmax is the label. */
export function validationAccuracy(scores: readonly (readonly number[])[], labels: readonly number[]): number {
  if (scores.length !== labels.length)
    throw new ShapeError(`validationAccuracy: ${scores.length} score rows for ${labels.length} labels`);
  const predicted = predictedClasses(scores);
  return predicted.filter((label, i) => label === labels[i]).length / labels.length;
}
