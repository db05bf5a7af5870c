import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { UniformRandom } from '#impl/initializers/uniform-random.js';
import { Rng } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';
import { expectDistribution, expectMoments } from '../helpers/distribution.js';

/** Numeric gradients and training do not apply: an initializer has no backward and calibrates nothing. */
describe('ex2 UniformRandom', () => {
  describe('properties', () => {
    it('returns the requested shape with values in [0, 1), reproducible from the seed', () => {
      assertProperty(
        fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 1e6 }), (shape, seed) => {
          const t = new UniformRandom().initialize(shape, 3, 4, new Rng(seed));
          expect(t.shape).toEqual(shape);
          expect(Array.from(t.data).every((v) => v >= 0 && v < 1), 'UniformRandom values must lie in [0, 1)').toBe(true);
          expect(Array.from(new UniformRandom().initialize(shape, 3, 4, new Rng(seed)).data), 'draw from the rng you are given').toEqual(Array.from(t.data));
        }),
      );
    });
  });

  describe('known values', () => {
    it('draws from U[0, 1): mean 1/2, variance 1/12 (Kolmogorov–Smirnov, 20 000 samples, fixed seed)', () => {
      const samples = new UniformRandom().initialize([100, 200], 5, 5, new Rng(99)).data;
      expectDistribution(samples, (x) => Math.min(1, Math.max(0, x)), 'UniformRandom (U[0, 1), DESIGN §3)');
      expectMoments(samples, 0.5, 1 / 12, 'UniformRandom');
    });
  });
});
