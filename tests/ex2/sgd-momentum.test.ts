import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SgdMomentum } from '#impl/optimizers/sgd-momentum.js';
import { Parameter, Tensor, ValueError } from '../../framework/index.js';
import { assertProperty, finite } from '../helpers/property.js';
import { digitsMlpAccuracy, expectReferenceTrajectory, problemParameters, setProblemGradients, expectOneStepMoves, expectZeroGradientChangesNothing, expectRegularizerOnWeightsOnly } from '../helpers/optimizer-checks.js';

/**
 * SgdMomentum (seed 004: 2435). Numeric gradients do not apply to an optimizer (it has no backward);
 * the trajectory against an independent script pins its arithmetic instead.
 */
describe('ex2 SgdMomentum', () => {
  describe('properties', () => {
    it('a zero gradient from a fresh state changes nothing', () => {
      expectZeroGradientChangesNothing(() => new SgdMomentum({ lr: 0.1 }), 'SgdMomentum');
    });

    it('under a constant gradient g the velocity after k steps is −η·g·(1 − μᵏ)/(1 − μ) (a geometric series)', () => {
      assertProperty(
        fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0, max: 0.95, noNaN: true }), fc.integer({ min: 1, max: 12 }), (g, mu, k) => {
          const parameter = new Parameter('weight', new Tensor([1], Float64Array.of(0)), 'weight');
          const optimizer = new SgdMomentum({ lr: 0.1, momentum: mu });
          let previous = 0;
          let velocity = 0;
          for (let step = 0; step < k; step++) {
            parameter.zeroGrad();
            parameter.accumulate(new Tensor([1], Float64Array.of(g)));
            previous = parameter.value.data[0];
            optimizer.step([parameter]);
            velocity = parameter.value.data[0] - previous;
          }
          const expected = (-0.1 * g * (1 - mu ** k)) / (1 - mu);
          expect(Math.abs(velocity - expected), `μ=${mu}, g=${g}, k=${k}: the step is the velocity v ← μv − ηg`).toBeLessThan(1e-12 * (1 + Math.abs(expected)));
        }),
      );
    });

    it('with μ = 0 it is plain SGD: w ← w − η·g', () => {
      assertProperty(
        fc.property(fc.array(finite(), { minLength: 1, maxLength: 5 }), fc.array(finite(), { minLength: 5, maxLength: 5 }), (w, g) => {
          const parameter = new Parameter('weight', new Tensor([w.length], Float64Array.from(w)), 'weight');
          parameter.accumulate(new Tensor([w.length], Float64Array.from(g.slice(0, w.length))));
          new SgdMomentum({ lr: 0.3, momentum: 0 }).step([parameter]);
          Array.from(parameter.value.data).forEach((v, i) => expect(v).toBeCloseTo(w[i] - 0.3 * g[i], 12));
        }),
      );
    });
    it('takes {regularizer} and applies it to weights only: w ← step(w, g) − η·∇R(w_old) (DESIGN §3)', () => {
      expectRegularizerOnWeightsOnly((options) => new SgdMomentum({ lr: 0.1, momentum: 0.9, ...options }));
    });
  });

  describe('known values', () => {
    it('by hand: w = 0.5, g = −0.5, η = 0.1, μ = 0.9 → v = 0.05, w = 0.55; then g = −0.45 → v = 0.09, w = 0.64 (004: 2435)', () => {
      const parameters = problemParameters();
      const optimizer = new SgdMomentum({ lr: 0.1, momentum: 0.9 });
      setProblemGradients(parameters);
      optimizer.step(parameters);
      expect(parameters[0].value.data[0]).toBeCloseTo(0.55, 14);
      setProblemGradients(parameters);
      optimizer.step(parameters);
      expect(parameters[0].value.data[0], 'second step: v = μ·0.05 − η·(−0.45) = 0.09').toBeCloseTo(0.64, 14);
    });

    it('defaults to μ = 0.9 (004: 2437)', () => {
      const optimizer = new SgdMomentum({ lr: 0.1 });
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expectOneStepMoves(optimizer, 'SgdMomentum');
      expect(optimizer.momentum).toBe(0.9);
    });

    it('follows the reference trajectory for 5 steps (tests/ex2/reference/optimizer_trajectories.py)', () => {
      expectReferenceTrajectory(new SgdMomentum({ lr: 0.1, momentum: 0.9 }), 'SgdMomentum');
    });

    it('rejects bad hyper-parameters', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expectOneStepMoves(new SgdMomentum({ lr: 0.1 }), 'SgdMomentum');
      expect(() => new SgdMomentum({ lr: -1 })).toThrow(ValueError);
    });
  });

  describe('training', () => {
    it('trains a 64 → 32 → 10 network (test-local layers) on Digits to ≥ 0.90 test accuracy', () => {
      const accuracy = digitsMlpAccuracy(new SgdMomentum({ lr: 0.05 }), 300);
      expect(accuracy, 'Digits test accuracy after 300 SgdMomentum steps').toBeGreaterThanOrEqual(0.9);
    });
  });
});
