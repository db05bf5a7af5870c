import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HeUniform } from '#impl/initializers/he-uniform.js';

import { Rng, Tensor, ValueError } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';
import { expectDistribution, expectMoments, moments } from '../helpers/distribution.js';

const name = 'HeUniform';
const initializer = new HeUniform();

/**
 * HeUniform: U[−r, r), r = √(6 / fanIn) (seed 003: 328–331).
 * Numeric gradients do not apply to an initializer (it has no backward pass); its "training" test
 * checks what the variance calibration is for: the signal keeps its scale through a deep stack.
 */
describe('ex2 HeUniform', () => {
  describe('properties', () => {
    it('returns the requested shape, and the same seed gives the same values', () => {
      assertProperty(
        fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 1e6 }), (shape, fanIn, fanOut, seed) => {
          const first = initializer.initialize(shape, fanIn, fanOut, new Rng(seed));
          expect(first.shape, `${name}.initialize(${JSON.stringify(shape)}, …) shape`).toEqual(shape);
          expect(Array.from(initializer.initialize(shape, fanIn, fanOut, new Rng(seed)).data), `${name}: draw every number from the rng you are given`).toEqual(Array.from(first.data));
        }),
      );
    });
  });

  describe('known values', () => {
    it('draws from U[−r, r), r = √(6 / fanIn) (Kolmogorov–Smirnov, 20 000 samples, fixed seed)', () => {
      for (const [fanIn, fanOut] of [[50, 150], [9, 36], [784, 10]]) {
        const scale = Math.sqrt(6 / fanIn);
        const samples = initializer.initialize([100, 200], fanIn, fanOut, new Rng(fanIn * 1000 + fanOut)).data;
        expectDistribution(samples, (x) => Math.min(1, Math.max(0, (x + scale) / (2 * scale))), `${name} with fanIn ${fanIn}, fanOut ${fanOut} (U[−r, r), r = √(6 / fanIn))`);
        expectMoments(samples, 0, (scale * scale) / 3, `${name} with fanIn ${fanIn}, fanOut ${fanOut}`);
      }
    });

    it('uses the fans as DESIGN §3 says', () => {
      // He ignores fanOut: the spread depends on the inputs of a unit only.
      const a = initializer.initialize([4000], 30, 5, new Rng(3));
      const b = initializer.initialize([4000], 30, 500, new Rng(3));
      expect(Array.from(a.data), `${name} must not depend on fanOut`).toEqual(Array.from(b.data));
    });

    it('rejects fans that are not positive integers', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(initializer.initialize([2, 3], 2, 3, new Rng(1)).shape).toEqual([2, 3]);
      expect(() => initializer.initialize([2, 2], 0, 3, new Rng(1))).toThrow(ValueError);
      expect(() => initializer.initialize([2, 2], 3, 1.5, new Rng(1))).toThrow(/fanOut must be a positive integer/);
    });
  });

  describe('training', () => {
    it('keeps the signal’s scale through 10 ReLU layers of width 200 (004: 3966–3980)', () => {
      const rng = new Rng(21);
      const width = 200;
      let x = rng.normalTensor([64, width]);
      const start = moments(x.data).variance / 2;
      for (let layer = 0; layer < 10; layer++) {
        const w = initializer.initialize([width, width], width, width, rng).data;
        const y = new Float64Array(64 * width);
        for (let b = 0; b < 64; b++)
          for (let j = 0; j < width; j++) {
            let v = 0;
            for (let i = 0; i < width; i++) v += x.data[b * width + i] * w[i * width + j];
            y[b * width + j] = Math.max(0, v);
          }
        x = new Tensor([64, width], y);
      }
      const ratio = moments(x.data).variance / start;
      expect(ratio, `${name}: after 10 layers the activations' variance changed by a factor ${ratio.toFixed(3)}; a correct σ keeps it near 1, a wrong one explodes or vanishes`).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });
  });
});
