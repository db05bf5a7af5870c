import { expect } from 'vitest';
import { SELU } from '#impl/activations/selu.js';
import { fromArray } from '../../framework/index.js';
import {
  componentChecks,
  expectClose,
  fail,
  knownValue,
  property,
  sampleStatistics,
  tensorData,
} from '../harness/index.js';
import { activationChecks } from '../helpers/activation-checks.js';
import { learnsXorFullBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, SELU: y = λ·x for x > 0, λ·α·(eˣ − 1) otherwise, λ = 1.0507009873554805,
 * α = 1.6732632423543772 (seed 004: 2861–2877, rounded to 1.0507 and 1.6733 there; 000: 2713–2718).
 * ∂y/∂x = λ for x > 0 and λ·α·eˣ = y + λ·α otherwise (004: 2869's "α f(x)" is a seed error; the slope at
 * 0 is λ·α). For N(0, 1) inputs the output has mean 0 and variance 1 ("Self-normalizing", 004: 2876,
 * 3845–3847). Handout: docs/exercises/3-regularization.md#selu
 */
const LAMBDA = 1.0507009873554805;
const ALPHA = 1.6732632423543772;
const selu = (x: number): number => (x > 0 ? LAMBDA * x : LAMBDA * ALPHA * Math.expm1(x));
const slope = (x: number): number => (x > 0 ? LAMBDA : LAMBDA * ALPHA * Math.exp(x));
/** Forward and backward as the handout writes them. */
const rule = {
  forward:
    'λ·x for x > 0 and λ·α·(eˣ − 1) otherwise (004: 2867), with λ = SELU.lambda and α = SELU.alpha on both branches',
  backward:
    '∂L/∂y·λ for x > 0 and ∂L/∂y·λ·α·eˣ = ∂L/∂y·(y + λ·α) otherwise, taken from the input (not 004: 2869\'s "λ·α·f(x)", a seed error)',
};
const hint = `y = ${rule.forward}`;
const slopeHint =
  'the slope is λ for x > 0 and λ·α·eˣ = y + λ·α otherwise (not 004: 2869\'s "λ·α·f(x)", a seed error), taken from the input';

/** A grid on [−12, 12] with step 1/200 and its N(0, 1) trapezoid weights (test-local quadrature). */
const GRID = Array.from({ length: 4801 }, (_, i) => -12 + i / 200);
const normalWeight = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI) / 200;

export default componentChecks('ex3', 'SELU', [
  ...activationChecks({
    name: 'SELU',
    make: () => new SELU(),
    f: selu,
    slope,
    rule,
    spread: 6,
    gradient: { seed: 13, std: 2, kinkAtZero: true },
    negativeBranch: { floor: () => LAMBDA * ALPHA, symbol: 'λα', floorSource: '004: 3851' },
  }),
  property({
    title:
      'self-normalizing: 200 000 N(0, 1) inputs give outputs of mean 0 ± 0.012 and variance 1 ± 0.016 (004: 2876, 3845–3847)',
    run: (rng) => sampleStatistics(new SELU().forward(rng.normalTensor([400, 500])), 1, 'SELU.forward'),
    verify: ({ count, mean, variance }) => {
      expect(count, 'SELU.forward of a [400, 500] input must keep its 200 000 values').toBe(200_000);
      // Standard errors for 200 000 values: 0.0022 (mean) and 0.003 (variance); the tolerances are five of them.
      if (!(Math.abs(mean) < 0.012 && Math.abs(variance - 1) < 0.016)) {
        fail(
          `SELU of N(0, 1) samples: mean ${mean.toFixed(4)}, variance ${variance.toFixed(4)}; λ and α are chosen so that they stay 0 and 1 (004: 3845). ${hint}`,
        );
      }
    },
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'seed 004: 2867–2873, 3851: SELU(1) = λ, SELU(−1) = λα(e⁻¹ − 1), SELU(−40) = −λα = −1.7580993…; slopes λ, λαe⁻¹, λα at 0',
    run: () => {
      const layer = new SELU();
      const y = tensorData(layer.forward(fromArray([[1, -1, -40, 0, 2.5]])), 'SELU.forward');
      return { y, dx: tensorData(layer.backward(fromArray([[1, 1, 1, 1, 1]])), 'SELU.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        [[1.0507009873554805, -1.1113307378125625, -1.7580993408473766, 0, 2.6267524683887014]],
        1e-13,
        `SELU.forward: ${hint} (the full constants, not the seed's four digits)`,
      );
      expectClose(
        dx,
        [
          [
            1.0507009873554805,
            0.6467686030348141,
            LAMBDA * ALPHA * Math.exp(-40),
            1.7580993408473766,
            1.0507009873554805,
          ],
        ],
        1e-13,
        `SELU.backward: ${slopeHint}; at exactly 0 the negative branch, λα (docs/conventions.md §3)`,
      );
    },
  }),
  knownValue({
    title:
      'λ and α are the fixed point: under N(0, 1) weights on a fine grid, E[SELU(x)] = 0 and E[SELU(x)²] = 1 within 1e-4',
    run: () => tensorData(new SELU().forward(fromArray(GRID)), 'SELU.forward'),
    verify: (y) => {
      if (y.data.length !== GRID.length) fail(`SELU.forward of ${GRID.length} values returned ${y.data.length}`);
      let mean = 0;
      let square = 0;
      GRID.forEach((x, i) => {
        const w = (i === 0 || i === GRID.length - 1 ? 0.5 : 1) * normalWeight(x);
        mean += w * y.data[i];
        square += w * y.data[i] ** 2;
      });
      if (!(Math.abs(mean) < 1e-4 && Math.abs(square - 1) < 1e-4)) {
        fail(
          `SELU over N(0, 1) (quadrature on [−12, 12]): E[y] = ${mean.toExponential(3)}, E[y²] = ${square.toFixed(6)}; with the right λ and α they are 0 and 1 (004: 3845). ${hint}`,
        );
      }
    },
  }),
  learnsXorFullBatch('SELU', () => new SELU(), 0.3),
]);
