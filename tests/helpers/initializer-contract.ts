import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng, Tensor, ValueError, type Initializer } from '../../framework/index.js';
import { assertProperty } from './property.js';
import { expectDistribution, expectMoments, moments, normalCdf } from './distribution.js';

/**
 * The contract every variance-calibrated initializer keeps (He, HeUniform, Xavier, XavierUniform):
 * the nested 'properties', 'known values' and 'training' suites, run inside the test file's own
 * top-level `describe('ex2 <Name>', …)`. Each file passes what is specific to its initializer.
 * Numeric gradients do not apply to an initializer (it has no backward pass); the "training" test
 * checks what the variance calibration is for: the signal keeps its scale through a deep stack.
 */
export interface InitializerContract {
  /** The class name, used in failure messages. */
  name: string;
  initializer: Initializer;
  /** 'normal': N(0, σ²) with σ = spread(fanIn, fanOut); 'uniform': U[−r, r) with r = spread(fanIn, fanOut). */
  distribution: 'normal' | 'uniform';
  spread: (fanIn: number, fanOut: number) => number;
  /** The distribution as the handout writes it, e.g. 'N(0, σ²), σ = √(2 / fanIn)'. */
  formula: string;
  /** How the spread uses the fans (DESIGN §3): He looks at fanIn only, Xavier averages both fans. */
  fans: 'fanIn only' | 'both averaged';
  /** The activation the calibration is for: ReLU halves the variance each layer (He), a linear layer keeps it (Xavier). */
  activation: 'ReLU' | 'linear';
  /** Further 'known values' tests of this initializer, run after the fan test. */
  moreKnownValues?: () => void;
}

export function initializerContract(contract: InitializerContract): void {
  const { name, initializer, formula } = contract;
  const variance = (fanIn: number, fanOut: number): number => {
    const spread = contract.spread(fanIn, fanOut);
    return contract.distribution === 'normal' ? spread * spread : (spread * spread) / 3;
  };
  const cdf = (spread: number) => (x: number): number => (contract.distribution === 'normal' ? normalCdf(x / spread) : Math.min(1, Math.max(0, (x + spread) / (2 * spread))));

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
    it(`draws from ${formula} (Kolmogorov–Smirnov, 20 000 samples, fixed seed)`, () => {
      for (const [fanIn, fanOut] of [[50, 150], [9, 36], [784, 10]]) {
        const samples = initializer.initialize([100, 200], fanIn, fanOut, new Rng(fanIn * 1000 + fanOut)).data;
        expectDistribution(samples, cdf(contract.spread(fanIn, fanOut)), `${name} with fanIn ${fanIn}, fanOut ${fanOut} (${formula})`);
        expectMoments(samples, 0, variance(fanIn, fanOut), `${name} with fanIn ${fanIn}, fanOut ${fanOut}`);
      }
    });

    it('uses the fans as DESIGN §3 says', () => {
      if (contract.fans === 'fanIn only') {
        // He ignores fanOut: the spread depends on the inputs of a unit only.
        const a = initializer.initialize([4000], 30, 5, new Rng(3));
        const b = initializer.initialize([4000], 30, 500, new Rng(3));
        expect(Array.from(a.data), `${name} must not depend on fanOut`).toEqual(Array.from(b.data));
      } else {
        // Xavier averages both fans: swapping them changes nothing, changing fanOut does.
        const a = initializer.initialize([4000], 30, 70, new Rng(3));
        const b = initializer.initialize([4000], 70, 30, new Rng(3));
        expect(Array.from(a.data), `${name}(fanIn, fanOut) is symmetric in the two fans`).toEqual(Array.from(b.data));
        expectMoments(initializer.initialize([20000], 30, 270, new Rng(4)).data, 0, variance(30, 270), `${name} with fanIn 30, fanOut 270`);
      }
    });

    contract.moreKnownValues?.();

    it('rejects fans that are not positive integers', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expect(initializer.initialize([2, 3], 2, 3, new Rng(1)).shape).toEqual([2, 3]);
      expect(() => initializer.initialize([2, 2], 0, 3, new Rng(1))).toThrow(ValueError);
      expect(() => initializer.initialize([2, 2], 3, 1.5, new Rng(1))).toThrow(/fanOut must be a positive integer/);
    });
  });

  describe('training', () => {
    it(`keeps the signal’s scale through 10 ${contract.activation} layers of width 200 (004: 3966–3980)`, () => {
      const relu = contract.activation === 'ReLU';
      const rng = new Rng(21);
      const width = 200;
      let x = rng.normalTensor([64, width]);
      // A ReLU keeps half of a zero-mean signal's second moment; He's factor 2 makes up for exactly that.
      const start = moments(x.data).variance / (relu ? 2 : 1);
      for (let layer = 0; layer < 10; layer++) {
        const w = initializer.initialize([width, width], width, width, rng).data;
        const y = new Float64Array(64 * width);
        for (let b = 0; b < 64; b++)
          for (let j = 0; j < width; j++) {
            let v = 0;
            for (let i = 0; i < width; i++) v += x.data[b * width + i] * w[i * width + j];
            y[b * width + j] = relu ? Math.max(0, v) : v;
          }
        x = new Tensor([64, width], y);
      }
      const ratio = moments(x.data).variance / start;
      expect(ratio, `${name}: after 10 layers the activations' variance changed by a factor ${ratio.toFixed(3)}; a correct σ keeps it near 1, a wrong one explodes or vanishes`).toBeGreaterThan(0.4);
      expect(ratio).toBeLessThan(2.5);
    });
  });
}
