import { describe, expect, it } from 'vitest';
import {
  accuracy,
  classMetrics,
  confusionMatrix,
  fromArray,
  oneHot,
  Rng,
  ShapeError,
  topKAccuracy,
  ValueError,
} from '../../framework/index.js';

/** Per-class precision, recall, F1 and top-k accuracy (seed 004: 4810–4834; catalogue E1, E2). */
describe('framework classMetrics', () => {
  // Rows are true classes, columns predicted (framework/metrics/confusion-matrix.ts).
  const counts = [
    [5, 1, 0],
    [2, 3, 1],
    [0, 0, 4],
  ];

  it('a hand confusion matrix: P = TP/(TP+FP) from columns, R = TP/(TP+FN) from rows, F1 their harmonic mean', () => {
    const m = classMetrics(counts);
    expect(m.support).toEqual([6, 6, 4]);
    expect(m.precision).toEqual([5 / 7, 3 / 4, 4 / 5].map((v) => expect.closeTo(v, 15)));
    expect(m.recall).toEqual([5 / 6, 1 / 2, 1].map((v) => expect.closeTo(v, 15)));
    expect(m.f1).toEqual([10 / 13, 3 / 5, 8 / 9].map((v) => expect.closeTo(v, 15)));
    expect(m.macroF1).toBeCloseTo((10 / 13 + 3 / 5 + 8 / 9) / 3, 15);
    expect(m.macroPrecision).toBeCloseTo((5 / 7 + 3 / 4 + 4 / 5) / 3, 15);
  });

  it("F1 is not seed 004: 4822's 2·TPV·TNV/(TPV + TNV) (recall with specificity): class 0 gives 10/13, not 40/49", () => {
    // Class 0: TN = 16 − 5 − 2 − 1 = 8, FP = 2, specificity 0.8; the seed's formula would give 40/49 ≈ 0.816.
    expect(classMetrics(counts).f1[0]).toBeCloseTo(10 / 13, 15);
    expect(classMetrics(counts).f1[0]).not.toBeCloseTo(40 / 49, 3);
  });

  it('a class that is never predicted has precision 0 (not NaN); a class without examples has recall 0; F1 is then 0', () => {
    const neverPredicted = classMetrics([
      [2, 0],
      [1, 0],
    ]);
    expect(neverPredicted.precision).toEqual([2 / 3, 0]);
    expect(neverPredicted.recall).toEqual([1, 0]);
    expect(neverPredicted.f1).toEqual([0.8, 0]);
    const noExamples = classMetrics([
      [2, 1],
      [0, 0],
    ]);
    expect(noExamples.recall).toEqual([2 / 3, 0]);
    expect(noExamples.precision).toEqual([1, 0]);
    expect(noExamples.f1.every(Number.isFinite)).toBe(true);
  });

  it('works on the matrix that confusionMatrix builds, and refuses a matrix that is not square', () => {
    const prediction = fromArray([
      [0.9, 0.1],
      [0.2, 0.8],
      [0.6, 0.4],
    ]);
    const target = oneHot([0, 1, 1], 2);
    expect(classMetrics(confusionMatrix(prediction, target)).recall).toEqual([1, 0.5]);
    expect(() => classMetrics([[1, 2]])).toThrow(ShapeError);
  });
});

describe('framework topKAccuracy', () => {
  const scores = fromArray([
    [0.1, 0.5, 0.4], // true 2: second
    [0.3, 0.3, 0.4], // true 1: third (class 0 ties and comes first)
    [0.9, 0.05, 0.05], // true 0: first
    [0.2, 0.3, 0.5], // true 0: third
  ]);
  const target = oneHot([2, 1, 0, 0], 3);

  it('counts rows whose true class is among the k highest scores (004: 4832), ties to the lower index', () => {
    expect(topKAccuracy(scores, target, 1)).toBe(0.25);
    expect(topKAccuracy(scores, target, 2)).toBe(0.5);
    expect(topKAccuracy(scores, target, 3)).toBe(1);
  });

  it('top-1 equals accuracy on random scores, and top-k never falls as k grows', () => {
    const rng = new Rng(3);
    const random = rng.normalTensor([50, 5]);
    const labels = Array.from({ length: 50 }, () => rng.int(5));
    const y = oneHot(labels, 5);
    expect(topKAccuracy(random, y, 1)).toBe(accuracy(random, y));
    const byK = [1, 2, 3, 4, 5].map((k) => topKAccuracy(random, y, k));
    byK.slice(1).forEach((value, i) => {
      expect(value).toBeGreaterThanOrEqual(byK[i]);
    });
    expect(byK[4]).toBe(1);
  });

  it('refuses k outside 1 … classes and mismatched shapes', () => {
    expect(() => topKAccuracy(scores, target, 0)).toThrow(ValueError);
    expect(() => topKAccuracy(scores, target, 4)).toThrow(/k must be an integer from 1 to the number of classes \(3\)/);
    expect(() => topKAccuracy(scores, target, 1.5)).toThrow(ValueError);
    expect(() => topKAccuracy(scores, oneHot([0, 1], 3), 1)).toThrow(ShapeError);
  });
});
