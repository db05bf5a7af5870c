import { describe, expect, it } from 'vitest';
import {
  DataLoader,
  DlkitError,
  loadDigits,
  loadIris,
  oneHot,
  readDataFile,
  Rng,
  trainTestSplit,
  ValueError,
  labelsOf,
} from '../../framework/index.js';

describe('framework Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uniform()
      )(new Rng(42)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uniform()
      )(new Rng(42)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.uniform()
      )(new Rng(43)),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('uniform draws have mean ≈ 1/2 and normal draws mean ≈ 0, variance ≈ 1 (n = 20000, 5σ bounds)', () => {
    const rng = new Rng(7);
    const n = 20000;
    const u = Array.from({ length: n }, () => rng.uniform());
    const z = Array.from({ length: n }, () => rng.normal());
    const meanU = u.reduce((s, v) => s + v, 0) / n;
    const meanZ = z.reduce((s, v) => s + v, 0) / n;
    const varZ = z.reduce((s, v) => s + (v - meanZ) ** 2, 0) / n;
    expect(Math.abs(meanU - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(meanZ)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(varZ - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});

describe('framework data', () => {
  it('loads Iris (150 × 4, 3 classes) and Digits (1797 8×8 images scaled to [0, 1])', () => {
    const iris = loadIris();
    expect(iris.x.shape).toEqual([150, 4]);
    expect(iris.y.shape).toEqual([150, 3]);
    expect(iris.x.get(0, 0)).toBe(5.1);
    const digits = loadDigits({ layout: 'image' });
    expect(digits.x.shape).toEqual([1797, 1, 8, 8]);
    expect(Math.max(...digits.x.data)).toBe(1);
    expect(new Set(digits.labels).size).toBe(10);
  });

  it('splits stratified and seeded: each class keeps its share on both sides', () => {
    const { train, test } = trainTestSplit(loadIris(), { rng: new Rng(1) });
    expect(test.x.shape[0]).toBe(51);
    expect(train.x.shape[0]).toBe(99);
    for (const label of [0, 1, 2]) expect(test.labels.filter((l) => l === label).length).toBe(17);
  });

  it('DataLoader covers every example once per epoch, reshuffles between epochs, and is seeded', () => {
    const iris = loadIris();
    const loader = new DataLoader(iris, { batchSize: 40, rng: new Rng(3) });
    const seen = [...loader.epoch()].flatMap((batch) => Array.from(batch.x.data.filter((_, i) => i % 4 === 0)));
    expect(seen.length).toBe(150);
    const again = new DataLoader(iris, { batchSize: 40, rng: new Rng(3) });
    expect(again.next().x.toArray()).toEqual(
      new DataLoader(iris, { batchSize: 40, rng: new Rng(3) }).next().x.toArray(),
    );
    expect(() => new DataLoader(iris, { batchSize: 0, rng: new Rng(0) })).toThrow(ValueError);
    expect(() => new DataLoader(iris, { batchSize: 10 })).toThrow(/needs an rng/);
  });

  it('one-hot encodes and decodes labels, rejecting labels out of range', () => {
    expect(labelsOf(oneHot([2, 0, 1], 3))).toEqual([2, 0, 1]);
    expect(() => oneHot([3], 3)).toThrow(/label 3 at position 0/);
  });

  it('a missing data file is a clear error that says how to restore it', () => {
    expect(() => readDataFile('no-such-file.csv')).toThrow(DlkitError);
    expect(() => readDataFile('no-such-file.csv')).toThrow(/restore the kit's data\/ folder/);
  });
});
