import { describe, expect, it } from 'vitest';
import { fromArray, ShapeError, tensor, zeros } from '../../framework/index.js';

describe('framework Tensor', () => {
  it('builds from nested arrays and round-trips through toArray', () => {
    const t = fromArray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.get(1, 2)).toBe(6);
  });

  it('rejects ragged input and data that does not fill the shape', () => {
    expect(() => fromArray([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fill shape \[2, 2\]/);
  });

  it('reshape infers −1 and shares the data', () => {
    const t = zeros([2, 6]);
    const view = t.reshape([3, -1]);
    expect(view.shape).toEqual([3, 4]);
    view.set(7, 0, 1);
    expect(t.get(0, 1)).toBe(7);
    expect(() => t.reshape([5, -1])).toThrow(ShapeError);
  });
});
