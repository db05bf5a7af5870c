import { describe, expect, it } from 'vitest';
import {
  concatColumns,
  fromArray,
  Rng,
  ShapeError,
  sliceColumns,
  stackTimeSteps,
  timeStep,
  ValueError,
} from '../../framework/index.js';

describe('framework sequence and column helpers', () => {
  it('timeStep and stackTimeSteps are inverse', () => {
    const x = new Rng(1).normalTensor([2, 4, 3]);
    const steps = [0, 1, 2, 3].map((t) => timeStep(x, t));
    expect(steps[2].toArray()).toEqual([
      [x.get(0, 2, 0), x.get(0, 2, 1), x.get(0, 2, 2)],
      [x.get(1, 2, 0), x.get(1, 2, 1), x.get(1, 2, 2)],
    ]);
    expect(stackTimeSteps(steps).equals(x)).toBe(true);
    expect(() => timeStep(x, 4)).toThrow(ValueError);
    expect(() => stackTimeSteps([steps[0], fromArray([[1]])])).toThrow(ShapeError);
  });

  it('sliceColumns and concatColumns are inverse', () => {
    const m = fromArray([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    expect(sliceColumns(m, 1, 3).toArray()).toEqual([
      [2, 3],
      [6, 7],
    ]);
    expect(concatColumns([sliceColumns(m, 0, 1), sliceColumns(m, 1, 4)]).equals(m)).toBe(true);
    expect(() => sliceColumns(m, 3, 5)).toThrow(ValueError);
  });
});
