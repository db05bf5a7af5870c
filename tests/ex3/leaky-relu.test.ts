import fc from 'fast-check';
import { LeakyReLU } from '#impl/activations/leaky-relu.js';
import { fromArray } from '../../framework/index.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  finite,
  knownValue,
  property,
  tensorData,
} from '../harness/index.js';
import { activationChecks } from '../helpers/activation-checks.js';
import { learnsXorFullBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, LeakyReLU: y = x for x > 0, α·x otherwise; ∂L/∂x = ∂L/∂y · (x > 0 ? 1 : α), with α at
 * exactly 0 (seed 004: 2837–2844). Handout: docs/exercises/3-regularization.md#leakyrelu
 */
const leaky = (x: number, alpha: number): number => (x > 0 ? x : alpha * x);
const slope = (x: number, alpha: number): number => (x > 0 ? 1 : alpha);

export default componentChecks('ex3', 'LeakyReLU', [
  ...activationChecks({
    name: 'LeakyReLU',
    make: (alpha) => new LeakyReLU({ alpha }),
    f: leaky,
    slope,
    rule: {
      forward: 'x for x > 0 and α·x otherwise',
      backward: '∂L/∂y·1 for x > 0 and ∂L/∂y·α otherwise (α at x = 0), computed from the input',
    },
    spread: 5,
    gradient: { seed: 3, std: 1, kinkAtZero: true },
    parameter: {
      symbol: 'α',
      default: 0.01,
      min: 0,
      max: 0.5,
      gradientAlso: 0.2,
      reluAtZero: true,
      refused: { values: [-0.1, 1], text: 'α outside [0, 1)' },
    },
  }),
  property({
    title: 'is positively homogeneous: f(c·x) = c·f(x) for c > 0',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.array(finite(5), { minLength: 1, maxLength: 8 }), fc.double({ min: 0.1, max: 10, noNaN: true })),
        rng,
        20,
      ).map(([values, c]) => ({
        c,
        y: tensorData(new LeakyReLU().forward(fromArray(values)), 'LeakyReLU.forward'),
        scaled: tensorData(new LeakyReLU().forward(fromArray(values.map((v) => c * v))), 'LeakyReLU.forward'),
      })),
    verify: (samples) =>
      samples.forEach(({ c, y, scaled }, i) => {
        expectClose(
          scaled,
          { shape: y.shape, data: y.data.map((v) => c * v) },
          1e-10,
          `sample ${i}: LeakyReLU(${c}·x) must equal ${c}·LeakyReLU(x)`,
        );
      }),
  }),
  knownValue({
    title: 'seed 004: 2837–2844: α = 0.01 maps (−2, −0.5, 0, 3) to (−0.02, −0.005, 0, 3); the slope at 0 is α',
    run: () => {
      const layer = new LeakyReLU();
      const y = tensorData(layer.forward(fromArray([[-2, -0.5, 0, 3]])), 'LeakyReLU.forward');
      return { y, dx: tensorData(layer.backward(fromArray([[1, 1, 1, 1]])), 'LeakyReLU.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(y, [[-0.02, -0.005, 0, 3]], 1e-15, 'LeakyReLU.forward with the default α = 0.01');
      expectClose(
        dx,
        [[0.01, 0.01, 0.01, 1]],
        1e-15,
        'LeakyReLU.backward: 1 for x > 0, α for x ≤ 0 (the kit takes α at exactly 0, docs/conventions.md)',
      );
    },
  }),
  learnsXorFullBatch('LeakyReLU', () => new LeakyReLU({ alpha: 0.05 }), 0.5),
]);
