import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, NonFiniteError, Rng, StateError, tensor, xor, accuracy } from '../../framework/index.js';
import { ReLU } from '#impl/activations/relu.js';
import { assertProperty, finite } from '../helpers/property.js';
import { expectClose } from '../helpers/expect-close.js';
import { expectGradientsMatch } from '../helpers/gradient.js';
import { LinearDouble, SoftmaxCrossEntropyDouble, sgdStepDouble, trainDouble, forwardAll } from '../helpers/doubles.js';

describe('ex1 ReLU', () => {
  describe('properties', () => {
    it('output is max(0, x): never negative, equal to x where x > 0', () => {
      assertProperty(
        fc.property(fc.array(finite(), { minLength: 1, maxLength: 30 }), (values) => {
          const y = new ReLU().forward(tensor(values, [1, values.length]));
          values.forEach((v, i) => expect(y.data[i], `ReLU(${v})`).toBe(v > 0 ? v : 0));
        }),
      );
    });

    it('is idempotent and positively homogeneous: ReLU(ReLU(x)) = ReLU(x), ReLU(a·x) = a·ReLU(x) for a > 0', () => {
      assertProperty(
        fc.property(fc.array(finite(), { minLength: 1, maxLength: 20 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (values, a) => {
          const relu = new ReLU();
          const x = tensor(values, [values.length]);
          const once = relu.forward(x);
          expectClose(relu.forward(once), once, 0, 'ReLU applied twice must equal ReLU once');
          expectClose(relu.forward(tensor(values.map((v) => a * v), x.shape)), tensor(once.data.map((v) => a * v), x.shape), 1e-12, 'ReLU(a·x) must equal a·ReLU(x)');
        }),
      );
    });

    it('backward passes the gradient where x > 0 and blocks it elsewhere, including x = 0 (derivative 0 at 0, seed 004: 2806)', () => {
      const relu = new ReLU();
      relu.forward(fromArray([[-2, 0, 3]]));
      expectClose(relu.backward(fromArray([[5, 6, 7]])), [[0, 0, 7]], 0, 'ReLU.backward on x = (−2, 0, 3) with gradient (5, 6, 7)');
    });
  });

  describe('gradients', () => {
    it('input gradient matches centred differences away from the kink', () => {
      const rng = new Rng(5);
      // Keep |x| ≥ 0.1 so that x ± h never crosses 0, where ReLU has no derivative.
      const x = rng.uniformTensor([4, 6], 0.1, 2);
      x.data.forEach((v, i) => (x.data[i] = rng.bernoulli(0.5) ? v : -v));
      expectGradientsMatch(new ReLU(), x, 1e-8);
    });
  });

  describe('known values', () => {
    it('reproduces z¹ = max(0, z_in¹) = (79, 0, 9, 0) of seed 000: 771 and 864–865', () => {
      expectClose(new ReLU().forward(fromArray([[79, -70, 9, -26]])), [[79, 0, 9, 0]], 0, 'seed 000: 771');
      expectClose(new ReLU().forward(fromArray([[0, 24, -54, 17]])), [[0, 24, 0, 17]], 0, 'seed 000: 865, z³');
    });
  });

  describe('bad input', () => {
    it('rejects backward before forward, NaN input, and a gradient of another shape', () => {
      const relu = new ReLU();
      expect(() => relu.backward(tensor([1], [1, 1]))).toThrow(StateError);
      expect(() => relu.forward(tensor([NaN], [1, 1]))).toThrow(NonFiniteError);
      relu.forward(tensor([1, 2], [1, 2]));
      expect(() => relu.backward(tensor([1], [1, 1]))).toThrow(/ReLU.backward/);
    });
  });

  describe('training', () => {
    it('a hidden ReLU layer solves XOR, which no linear model can (accuracy ≥ 0.95)', () => {
      // Linear layers, loss and update are test-local doubles: only the ReLU is yours.
      const rng = new Rng(21);
      const data = xor({ points: 200, rng });
      const layers = [new LinearDouble(2, 16, rng), new ReLU(), new LinearDouble(16, 2, rng)];
      trainDouble(layers, new SoftmaxCrossEntropyDouble(), (p) => sgdStepDouble(p, 0.5), data.x, data.y, 600);
      expect(accuracy(forwardAll(layers, data.x), data.y), 'XOR accuracy with your ReLU between two linear layers').toBeGreaterThanOrEqual(0.95);
    });
  });
});
