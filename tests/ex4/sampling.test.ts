import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, ValueError } from '../../framework/index.js';
import { sampleGreedy, sampleRandom, sampleWithTemperature, withTemperature } from '#impl/sampling/sampling.js';
import { assertProperty } from '../helpers/property.js';

/** A random distribution over 2…8 elements. */
const distribution = fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 2, maxLength: 8 }).map((w) => {
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
});

function frequencies(draw: () => number, n: number, size: number): number[] {
  const counts = new Array<number>(size).fill(0);
  for (let k = 0; k < n; k++) counts[draw()]++;
  return counts.map((c) => c / n);
}

describe('ex4 Sampling', () => {
  describe('properties', () => {
    it('greedy picks the most likely element (the first on a tie)', () => {
      assertProperty(fc.property(distribution, (p) => {
        const chosen = sampleGreedy(p);
        expect(p[chosen]).toBe(Math.max(...p));
        expect(p.indexOf(Math.max(...p))).toBe(chosen);
      }));
      expect(sampleGreedy([0.4, 0.2, 0.4])).toBe(0);
    });

    it('temperature keeps a distribution, τ = 1 changes nothing, small τ approaches greedy, large τ approaches uniform', () => {
      assertProperty(fc.property(distribution, fc.double({ min: 0.05, max: 20, noNaN: true }), (p, tau) => {
        const q = withTemperature(p, tau);
        expect(Math.abs(q.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-9);
        withTemperature(p, 1).forEach((v, i) => expect(Math.abs(v - p[i])).toBeLessThan(1e-12));
        // Temperature keeps the order of the probabilities.
        expect(sampleGreedy(q)).toBe(sampleGreedy(p));
      }));
      const p = [0.1, 0.6, 0.3];
      expect(withTemperature(p, 0.01)[1]).toBeGreaterThan(1 - 1e-12);
      withTemperature(p, 1e4).forEach((v) => expect(Math.abs(v - 1 / 3)).toBeLessThan(1e-3));
      expect(Array.from(withTemperature([0, 0.5, 0.5], 0.5))).toEqual([0, 0.5, 0.5]);
    });

    it('random sampling never picks an impossible element and is reproducible from the seed', () => {
      assertProperty(fc.property(fc.integer({ min: 0, max: 999 }), (seed) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let k = 0; k < 20; k++) {
          const chosen = sampleRandom([0.5, 0, 0.5], a);
          expect(chosen).not.toBe(1);
          expect(sampleRandom([0.5, 0, 0.5], b)).toBe(chosen);
        }
      }), 20);
    });

    it('rejects what is not a distribution or not a temperature', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(sampleGreedy([0.2, 0.8])).toBe(1);
      expect(() => sampleGreedy([0.5, 0.2])).toThrow(ValueError);
      expect(() => sampleRandom([1.5, -0.5], new Rng(1))).toThrow(/non-negative/);
      expect(() => withTemperature([0.5, 0.5], 0)).toThrow(/temperature must be a positive number/);
    });
  });

  describe('known values', () => {
    it('temperature τ = 0.5 squares and renormalises (004: 6534): (0.2, 0.8) → (1/17, 16/17)', () => {
      const q = withTemperature([0.2, 0.8], 0.5);
      expect(q[0]).toBeCloseTo(1 / 17, 12);
      expect(q[1]).toBeCloseTo(16 / 17, 12);
    });

    it('"if let\'s has output probability 0.8, it is sampled 8 out of 10 times" (004: 6529)', () => {
      const rng = new Rng(6529);
      const f = frequencies(() => sampleRandom([0.8, 0.2], rng), 20000, 2);
      // Binomial standard deviation √(0.8·0.2/20000) ≈ 0.0028; 0.01 is over 3.5 of them.
      expect(Math.abs(f[0] - 0.8), `sampled element 0 with frequency ${f[0]}, expected 0.8`).toBeLessThan(0.01);
    });

    it('sampling with temperature follows the sharpened distribution', () => {
      const rng = new Rng(7);
      const f = frequencies(() => sampleWithTemperature([0.2, 0.8], 0.5, rng), 20000, 2);
      expect(Math.abs(f[1] - 16 / 17), `frequency ${f[1]}, expected 16/17`).toBeLessThan(0.01);
    });
  });
});
