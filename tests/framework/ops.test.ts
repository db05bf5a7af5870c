import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  argmax,
  DeviceError,
  dispatchCount,
  fromArray,
  matmul,
  max,
  mean,
  permute,
  resetDispatchCounts,
  runKernel,
  ShapeError,
  sum,
  tensor,
  transpose,
} from '../../framework/index.js';
import { matmulBlocked, matmulNaive } from '../../framework/ops/cpu/matmul.js';
import { assertProperty } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { Rng } from '../../framework/index.js';

describe('framework ops', () => {
  it('broadcasts a bias row over a batch and a column over rows, NumPy style', () => {
    expectClose(
      add(
        fromArray([
          [1, 2],
          [3, 4],
        ]),
        fromArray([10, 20]),
      ),
      [
        [11, 22],
        [13, 24],
      ],
      0,
      'row broadcast',
    );
    expectClose(
      add(
        fromArray([
          [1, 2],
          [3, 4],
        ]),
        fromArray([[10], [20]]),
      ),
      [
        [11, 12],
        [23, 24],
      ],
      0,
      'column broadcast',
    );
    expect(() => add(fromArray([[1, 2]]), fromArray([1, 2, 3]))).toThrow(/cannot broadcast \[1, 2\] with \[3\]/);
  });

  it('reduces along an axis, with keepDims, and argmax takes the first maximum', () => {
    const x = fromArray([
      [1, 5, 5],
      [7, 0, 2],
    ]);
    expectClose(sum(x, 0), [8, 5, 7], 0, 'sum axis 0');
    expect(sum(x, -1, true).shape).toEqual([2, 1]);
    expectClose(mean(x, 1), [11 / 3, 3], 1e-15, 'mean axis 1');
    expectClose(max(x, 1), [5, 7], 0, 'max axis 1');
    expectClose(argmax(x, 1), [1, 0], 0, 'argmax ties go to the first');
  });

  it('transpose and permute reorder axes', () => {
    expectClose(
      transpose(
        fromArray([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
      [
        [1, 4],
        [2, 5],
        [3, 6],
      ],
      0,
      'transpose',
    );
    const x = tensor([...Array(24).keys()], [2, 3, 4]);
    const p = permute(x, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.get(3, 1, 2)).toBe(x.get(1, 2, 3));
  });

  it('the fast matmul equals the plain oracle on random shapes, float64 and float32', () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        fc.boolean(),
        (m, k, n, seed, single) => {
          const rng = new Rng(seed);
          const dtype = single ? 'float32' : 'float64';
          const a = rng.normalTensor([m, k], 0, 1, dtype);
          const b = rng.normalTensor([k, n], 0, 1, dtype);
          expectClose(
            matmulBlocked(a, b),
            matmulNaive(a, b),
            single ? 1e-5 : 1e-12,
            `matmul ${m}×${k}·${k}×${n} ${dtype}`,
          );
        },
      ),
      30,
    );
    expect(() => matmul(fromArray([[1, 2]]), fromArray([[1, 2]]))).toThrow(
      new ShapeError('matmul expected A [m, k] and B [k, n], got [1, 2] and [1, 2]'),
    );
  });

  it('dispatches by (kernel, backend), counts dispatches, and explains a missing kernel', () => {
    resetDispatchCounts();
    runKernel('neg', [fromArray([1])]);
    expect(dispatchCount('neg', 'cpu')).toBe(1);
    expect(dispatchCount('neg', 'webgpu')).toBe(0);
    const q = fromArray([[[1, 2]]]);
    expect(() => runKernel('attentionScores', [q, q])).toThrow(
      new DeviceError(
        "No kernel 'attentionScores' is registered for the 'cpu' backend: the kit implements it on 'webgpu' only: move the inputs there with `await tensor.to('webgpu')`",
      ),
    );
  });
});
