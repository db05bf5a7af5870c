import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Constant } from '#impl/initializers/constant.js';
import { Rng, ValueError } from '../../framework/index.js';
import { assertProperty } from '../helpers/property.js';

/** Numeric gradients and training do not apply to a constant initializer (no backward, nothing random). */
describe('ex2 Constant', () => {
  describe('properties', () => {
    it('fills any shape with its value, whatever the fans', () => {
      assertProperty(
        fc.property(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: 1, max: 99 }), (shape, value, fan) => {
          const t = new Constant(value).initialize(shape, fan, fan + 1, new Rng(1));
          expect(t.shape, `Constant(${value}).initialize(${JSON.stringify(shape)}) shape`).toEqual(shape);
          expect(Array.from(t.data).every((v) => Object.is(v, value) || v === value), `every element must be ${value}`).toBe(true);
        }),
      );
    });
  });

  describe('known values', () => {
    it('defaults to 0.1, the bias for ReLU units of seed 004 lines 3954–3955', () => {
      expect(Array.from(new Constant().initialize([3], 1, 1, new Rng(1)).data)).toEqual([0.1, 0.1, 0.1]);
      expect(new Constant().value).toBe(0.1);
    });

    it('rejects a value that is not finite', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(Array.from(new Constant(0.5).initialize([2], 1, 1, new Rng(1)).data)).toEqual([0.5, 0.5]);
      expect(() => new Constant(Number.NaN)).toThrow(ValueError);
    });
  });
});
