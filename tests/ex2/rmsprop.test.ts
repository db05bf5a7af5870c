import { describe, expect, it } from 'vitest';
import { RMSProp } from '#impl/optimizers/rmsprop.js';
import { ValueError } from '../../framework/index.js';
import { digitsMlpAccuracy, expectReferenceTrajectory, problemParameters, setProblemGradients, expectOneStepMoves, expectZeroGradientChangesNothing, expectRegularizerOnWeightsOnly } from '../helpers/optimizer-checks.js';

/**
 * RMSProp (seed 004: 2491–2495). Numeric gradients do not apply to an optimizer (it has no backward);
 * the trajectory against an independent script pins its arithmetic instead.
 */
describe('ex2 RMSProp', () => {
  describe('properties', () => {
    it('a zero gradient from a fresh state changes nothing', () => {
      expectZeroGradientChangesNothing(() => new RMSProp({ lr: 0.1 }), 'RMSProp');
    });

    it('takes {regularizer} and applies it to weights only: w ← step(w, g) − η·∇R(w_old) (DESIGN §3)', () => {
      expectRegularizerOnWeightsOnly((options) => new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-6, ...options }));
    });
  });

  describe('known values', () => {
    it('by hand: the first step is η·g/(√((1 − ρ)·g²) + ε) ≈ η/√(1 − ρ)·sign(g) (004: 2491–2495)', () => {
      const parameters = problemParameters();
      setProblemGradients(parameters);
      new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-6 }).step(parameters);
      expect(parameters[0].value.data[0]).toBeCloseTo(0.5 + (0.01 * 0.5) / (Math.sqrt(0.1 * 0.25) + 1e-6), 14);
    });

    it('defaults: ρ = 0.9, η = 0.001 (004: 2495), ε = 1e-6 (000: 2512)', () => {
      const optimizer = new RMSProp();
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expectOneStepMoves(optimizer, 'RMSProp');
      expect([optimizer.rho, optimizer.learningRate, optimizer.eps]).toEqual([0.9, 0.001, 1e-6]);
    });

    it('follows the reference trajectory for 5 steps (tests/ex2/reference/optimizer_trajectories.py)', () => {
      expectReferenceTrajectory(new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-6 }), 'RMSProp');
    });

    it('rejects bad hyper-parameters', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expectOneStepMoves(new RMSProp({ lr: 0.1 }), 'RMSProp');
      expect(() => new RMSProp({ lr: -1 })).toThrow(ValueError);
    });
  });

  describe('training', () => {
    it('trains a 64 → 32 → 10 network (test-local layers) on Digits to ≥ 0.90 test accuracy', () => {
      const accuracy = digitsMlpAccuracy(new RMSProp({ lr: 0.005 }), 300);
      expect(accuracy, 'Digits test accuracy after 300 RMSProp steps').toBeGreaterThanOrEqual(0.9);
    });
  });
});
