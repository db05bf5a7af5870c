import { describe, expect, it } from 'vitest';
import { AdaGrad } from '#impl/optimizers/adagrad.js';
import { ValueError } from '../../framework/index.js';
import { digitsMlpAccuracy, expectReferenceTrajectory, problemParameters, setProblemGradients, expectOneStepMoves, expectZeroGradientChangesNothing, expectRegularizerOnWeightsOnly } from '../helpers/optimizer-checks.js';

/**
 * AdaGrad (seed 004: 2475–2479). Numeric gradients do not apply to an optimizer (it has no backward);
 * the trajectory against an independent script pins its arithmetic instead.
 */
describe('ex2 AdaGrad', () => {
  describe('properties', () => {
    it('a zero gradient from a fresh state changes nothing', () => {
      expectZeroGradientChangesNothing(() => new AdaGrad({ lr: 0.1 }), 'AdaGrad');
    });

    it('takes {regularizer} and applies it to weights only: w ← step(w, g) − η·∇R(w_old) (DESIGN §3)', () => {
      expectRegularizerOnWeightsOnly((options) => new AdaGrad({ lr: 0.5, eps: 1e-7, ...options }));
    });
  });

  describe('known values', () => {
    it('by hand: the first step is η·g/(|g| + ε) ≈ η·sign(g), whatever the size of g (004: 2475–2479)', () => {
      const parameters = problemParameters();
      setProblemGradients(parameters);
      new AdaGrad({ lr: 0.5, eps: 1e-7 }).step(parameters);
      // weight[1] = −1.5 with g = 4·(−1.5 − 0.5) = −8: −1.5 + 0.5·8/(8 + 1e-7)
      expect(parameters[0].value.data[1]).toBeCloseTo(-1.5 + (0.5 * 8) / (8 + 1e-7), 14);
    });

    it('defaults: ε = 1e-7 (000: 2482), lr = 0.01', () => {
      const optimizer = new AdaGrad();
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expectOneStepMoves(optimizer, 'AdaGrad');
      expect([optimizer.eps, optimizer.learningRate]).toEqual([1e-7, 0.01]);
    });

    it('follows the reference trajectory for 5 steps (tests/ex2/reference/optimizer_trajectories.py)', () => {
      expectReferenceTrajectory(new AdaGrad({ lr: 0.5, eps: 1e-7 }), 'AdaGrad');
    });

    it('rejects bad hyper-parameters', () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      expectOneStepMoves(new AdaGrad({ lr: 0.1 }), 'AdaGrad');
      expect(() => new AdaGrad({ lr: -1 })).toThrow(ValueError);
    });
  });

  describe('training', () => {
    it('trains a 64 → 32 → 10 network (test-local layers) on Digits to ≥ 0.90 test accuracy', () => {
      const accuracy = digitsMlpAccuracy(new AdaGrad({ lr: 0.1 }), 300);
      expect(accuracy, 'Digits test accuracy after 300 AdaGrad steps').toBeGreaterThanOrEqual(0.9);
    });
  });
});
