import { describe, expect, it } from 'vitest';
import { compareData } from '../../grader/compare.js';

const tensor = (shape: number[], data: number[]) => ({ shape, data });

describe('grader compare', () => {
  it('passes equal tensors and values within the tolerance', () => {
    expect(compareData(tensor([2], [1, 2]), tensor([2], [1, 2 + 1e-9]), { kind: 'close', tolerance: 1e-6 }).pass).toBe(
      true,
    );
    expect(compareData({ loss: 0.5, calls: ['a'] }, { loss: 0.5, calls: ['a'] }, undefined).pass).toBe(true);
  });

  it('fails NaN even where a check written as `diff > tol` would pass it', () => {
    const nan = NaN;
    expect(Math.abs(nan - 1) > 1e-6).toBe(false); // the trap the grader must not fall into
    const verdict = compareData(tensor([1], [NaN]), tensor([1], [1]), undefined);
    expect(verdict.pass).toBe(false);
    if (!verdict.pass) expect(verdict.mismatch.kind).toBe('nan');
  });

  it('fails infinities against finite references', () => {
    expect(compareData(Infinity, 1, undefined).pass).toBe(false);
    expect(compareData(-Infinity, 1e308, undefined).pass).toBe(false);
  });

  it('matches an expected ±∞ with the same ±∞ only (issue 17, item 9)', () => {
    for (const kind of ['close', 'exact'] as const) {
      expect(
        compareData(tensor([2], [Infinity, -Infinity]), tensor([2], [Infinity, -Infinity]), { kind }).pass,
        kind,
      ).toBe(true);
      expect(compareData(-Infinity, Infinity, { kind }).pass, kind).toBe(false);
      // Any finite value is within tol·(1 + ∞) of ∞: the formula alone would pass it.
      expect(compareData(5, Infinity, { kind }).pass, kind).toBe(false);
      expect(compareData(NaN, Infinity, { kind }).pass, kind).toBe(false);
    }
  });

  it('checks the shape before any element (same numbers, transposed shape)', () => {
    const verdict = compareData(tensor([3, 2], [1, 2, 3, 4, 5, 6]), tensor([2, 3], [1, 2, 3, 4, 5, 6]), undefined);
    expect(verdict.pass).toBe(false);
    if (!verdict.pass) expect(verdict.mismatch.reason).toBe('wrong shape [3, 2], expected [2, 3]');
  });

  it('fails missing or extra keys, wrong types and wrong lengths', () => {
    expect(compareData({ a: 1 }, { a: 1, b: 2 }, undefined).pass).toBe(false);
    expect(compareData({ a: 1, b: 2, c: 3 }, { a: 1, b: 2 }, undefined).pass).toBe(false);
    expect(compareData('1', 1, undefined).pass).toBe(false);
    expect(compareData({ valueOf: 1 }, 1, undefined).pass).toBe(false);
    expect(compareData([1, 2], [1, 2, 3], undefined).pass).toBe(false);
    expect(compareData(null, { a: 1 }, undefined).pass).toBe(false);
  });

  it('exact comparison allows no difference at all', () => {
    expect(compareData(1 + 1e-12, 1, { kind: 'exact' }).pass).toBe(false);
    expect(compareData(['x', 1], ['x', 1], { kind: 'exact' }).pass).toBe(true);
  });
});
