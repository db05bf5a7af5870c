import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MaxPool } from '#impl/layers/max-pool.js';
import { fromArray, Rng, ShapeError, Tensor, ValueError, zeros } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { AdamDouble, digitsCnn, trainOnDigits } from '../helpers/cnn-doubles.js';

const ones = (shape: readonly number[]): Tensor => new Tensor(shape, new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1));

describe('ex2 MaxPool', () => {
  describe('properties', () => {
    it('with stride = window the windows partition the input: ∂L/∂y = 1 puts exactly one 1 in every window', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1e6 }), (ph, pw, rows, columns, seed) => {
          const pool = new MaxPool({ kernelSize: [ph, pw] });
          const x = new Rng(seed).normalTensor([2, 2, ph * rows, pw * columns]);
          const y = pool.forward(x);
          expect(y.shape, `MaxPool ${ph}×${pw} output shape`).toEqual([2, 2, rows, columns]);
          const dx = pool.backward(ones(y.shape));
          for (let plane = 0; plane < 4; plane++)
            for (let i = 0; i < rows; i++)
              for (let j = 0; j < columns; j++) {
                let total = 0;
                let largest = -Infinity;
                for (let m = 0; m < ph; m++)
                  for (let n = 0; n < pw; n++) {
                    const at = (plane * ph * rows + i * ph + m) * pw * columns + j * pw + n;
                    total += dx.data[at];
                    if (dx.data[at] === 1) largest = x.data[at];
                    expect(y.data[(plane * rows + i) * columns + j], 'every output is ≥ each value of its window').toBeGreaterThanOrEqual(x.data[at]);
                  }
                expect(total, `window (${i}, ${j}) of plane ${plane} must send its gradient to exactly one input`).toBe(1);
                expect(largest, `the input that gets the gradient holds the window's maximum`).toBe(y.data[(plane * rows + i) * columns + j]);
              }
        }),
      );
    });

    it('the output is the largest value of each window, for any stride and window (brute force)', () => {
      assertProperty(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 3, max: 7 }), fc.integer({ min: 0, max: 1e6 }), (ph, pw, sh, sw, size, seed) => {
          const pool = new MaxPool({ kernelSize: [ph, pw], stride: [sh, sw] });
          const x = new Rng(seed).normalTensor([1, 2, size, size + 1]);
          const y = pool.forward(x);
          const oh = Math.floor((size - ph) / sh) + 1;
          const ow = Math.floor((size + 1 - pw) / sw) + 1;
          expect(y.shape, `MaxPool window [${ph}, ${pw}] stride [${sh}, ${sw}] on ${size}×${size + 1} ('valid': ⌊(n − p)/s⌋ + 1)`).toEqual([1, 2, oh, ow]);
          for (let c = 0; c < 2; c++)
            for (let i = 0; i < oh; i++)
              for (let j = 0; j < ow; j++) {
                let largest = -Infinity;
                for (let m = 0; m < ph; m++) for (let n = 0; n < pw; n++) largest = Math.max(largest, x.get(0, c, i * sh + m, j * sw + n));
                expect(y.get(0, c, i, j), `window (${i}, ${j}) of channel ${c}`).toBe(largest);
              }
        }),
      );
    });
  });

  describe('gradients', () => {
    const rng = new Rng(11);
    for (const [label, options, shape] of [
      ['2×2 stride 2', { kernelSize: [2, 2] }, [2, 2, 4, 6]],
      ['3×3 stride 2 (overlapping windows)', { kernelSize: [3, 3], stride: 2 }, [2, 1, 7, 7]],
      ['2×3 stride [1, 2]', { kernelSize: [2, 3], stride: [1, 2] }, [1, 2, 5, 7]],
    ] as const) {
      it(`match centred differences: ${label}`, () => {
        // Normal samples are distinct, so no maximum is tied and the max is differentiable there.
        expectGradientsMatch(new MaxPool({ kernelSize: [...options.kernelSize], stride: 'stride' in options ? options.stride : undefined }), rng.normalTensor([...shape]), 1e-7);
      });
    }

    it('overlapping windows that share a maximum add their gradients there', () => {
      const pool = new MaxPool({ kernelSize: [1, 3], stride: 1 });
      const x = fromArray([[[[0, 1, 9, 2, 3]]]]);
      expectClose(pool.forward(x).reshape([3]), [9, 9, 9], 0, 'MaxPool [1, 3] stride 1');
      expectClose(pool.backward(fromArray([[[[1, 10, 100]]]])).reshape([5]), [0, 0, 111, 0, 0], 0, 'all three windows route to the 9');
    });
  });

  describe('known values', () => {
    // Seed 000_62f7213e93c3733a.txt lines 2183–2200: 4×4 map, 2×2 filter, stride 2 → 8, 6, 9, 3.
    const featureMap = fromArray([[[[1, 3, 6, 2], [3, 8, 1, 1], [2, 9, 2, 1], [5, 1, 3, 1]]]]);

    it('pools the 4×4 map of seed 000 (lines 2183–2200) to [[8, 6], [9, 3]]', () => {
      expectClose(new MaxPool({ kernelSize: [2, 2], stride: 2 }).forward(featureMap).reshape([2, 2]), [[8, 6], [9, 3]], 0, 'seed 000 max pooling (2200: "entries 8, 6, 9 and 3")');
    });

    it('routes the gradient only to the maxima, at (1,1), (0,2), (2,1), (3,2) (004: 3231–3236)', () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      pool.forward(featureMap);
      const dx = pool.backward(fromArray([[[[1, 2], [3, 4]]]]));
      expectClose(dx.reshape([4, 4]), [[0, 0, 2, 0], [0, 1, 0, 0], [0, 3, 0, 0], [0, 0, 4, 0]], 0, '"Error is propagated only along the path of the maximum value"');
    });

    it('on a tie the first maximum in row-major order gets the gradient (the kit’s rule; no seed fixes one)', () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      pool.forward(fromArray([[[[5, 5], [5, 5]]]]));
      expectClose(pool.backward(fromArray([[[[1]]]])).reshape([2, 2]), [[1, 0], [0, 0]], 0, 'constant window: the top-left (first) element wins');
      pool.forward(fromArray([[[[1, 7], [7, 2]]]]));
      expectClose(pool.backward(fromArray([[[[1]]]])).reshape([2, 2]), [[0, 1], [0, 0]], 0, 'tie between (0,1) and (1,0): (0,1) comes first in row-major order');
    });
  });

  describe('errors', () => {
    it('explains bad options and input', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(new MaxPool({ kernelSize: [2, 2] }).forward(zeros([1, 1, 4, 4])).shape).toEqual([1, 1, 2, 2]);
      expect(() => new MaxPool({ kernelSize: [2] })).toThrow(ValueError);
      expect(() => new MaxPool({ kernelSize: [2, 2], stride: 0 })).toThrow(/stride must be a positive integer/);
      expect(() => new MaxPool({ kernelSize: [2, 2] }).forward(zeros([2, 8, 8]))).toThrow(new ShapeError('MaxPool.forward expected input [batch, channels, height, width], got [2, 8, 8]'));
      expect(() => new MaxPool({ kernelSize: [3, 3] }).forward(zeros([1, 1, 2, 5]))).toThrow(/does not fit/);
    });
  });

  describe('training', () => {
    it('MaxPool in the Digits CNN (test-local other layers and Adam) reaches ≥ 0.90 test accuracy', () => {
      const rng = new Rng(3);
      const accuracy = trainOnDigits(digitsCnn({ pool: new MaxPool({ kernelSize: [2, 2] }) }, rng), new AdamDouble(0.01), { iterations: 200, batchSize: 32, seed: 5 });
      expect(accuracy, 'Digits CNN test accuracy with your MaxPool').toBeGreaterThanOrEqual(0.9);
    });
  });
});
