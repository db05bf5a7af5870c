import { ELU } from '#impl/activations/elu.js';
import { fromArray } from '../../framework/index.js';
import { componentChecks, expectClose, knownValue, tensorData } from '../harness/index.js';
import { activationChecks } from '../helpers/activation-checks.js';
import { learnsXorFullBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, ELU: y = x for x > 0, α·(eˣ − 1) otherwise; ∂L/∂x = ∂L/∂y · (x > 0 ? 1 : α·eˣ), and
 * α·eˣ = y + α (seed 004: 2847–2859; 003: 172–177). The slope at exactly 0 is α (the kit's branch x > 0,
 * as 004: 2854 writes it). Handout: docs/exercises/3-regularization.md#elu
 */
const elu = (x: number, alpha: number): number => (x > 0 ? x : alpha * Math.expm1(x));
const slope = (x: number, alpha: number): number => (x > 0 ? 1 : alpha * Math.exp(x));

export default componentChecks('ex3', 'ELU', [
  ...activationChecks({
    name: 'ELU',
    make: (alpha) => new ELU({ alpha }),
    f: elu,
    slope,
    rule: {
      forward: 'x for x > 0 and α·(eˣ − 1) otherwise (004: 2854)',
      backward: '∂L/∂y·1 for x > 0 and ∂L/∂y·α·eˣ otherwise (004: 2856), α at x = 0, computed from the input',
    },
    spread: 6,
    gradient: { seed: 11, std: 2, kinkAtZero: true },
    parameter: {
      symbol: 'α',
      default: 1,
      min: 0.05,
      max: 3,
      gradientAlso: 0.4,
      reluAtZero: true,
      refused: { values: [-0.1, Infinity], text: 'a negative or infinite α' },
    },
    negativeBranch: { floor: (alpha) => alpha, symbol: 'α', slopeSource: '003: 177', floorSource: '003: 175' },
  }),
  knownValue({
    title:
      'seed 004: 2854–2856: α = 1 maps (−2, −1, 0, 0.5, 3) to (e⁻² − 1, e⁻¹ − 1, 0, 0.5, 3) with slopes (e⁻², e⁻¹, α, 1, 1)',
    run: () => {
      const layer = new ELU();
      const y = tensorData(layer.forward(fromArray([[-2, -1, 0, 0.5, 3]])), 'ELU.forward');
      return { y, dx: tensorData(layer.backward(fromArray([[1, 1, 1, 1, 1]])), 'ELU.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        [[-0.8646647167633873, -0.6321205588285577, 0, 0.5, 3]],
        1e-14,
        'ELU.forward with the default α = 1',
      );
      expectClose(
        dx,
        [[0.1353352832366127, 0.36787944117144233, 1, 1, 1]],
        1e-14,
        'ELU.backward with α = 1: α·eˣ for x ≤ 0, 1 for x > 0',
      );
    },
  }),
  knownValue({
    title: 'α = 0.5: the slope at exactly 0 is α (the kit’s branch x > 0, 004: 2856), and ELU(−40) saturates at −α',
    run: () => {
      const layer = new ELU({ alpha: 0.5 });
      const y = tensorData(layer.forward(fromArray([[-40, -0.5, 0, 2]])), 'ELU.forward');
      return { y, dx: tensorData(layer.backward(fromArray([[1, 1, 1, 1]])), 'ELU.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(y, [[-0.5, 0.5 * Math.expm1(-0.5), 0, 2]], 1e-14, 'ELU.forward with α = 0.5');
      expectClose(
        dx,
        [[0.5 * Math.exp(-40), 0.5 * Math.exp(-0.5), 0.5, 1]],
        1e-14,
        'ELU.backward with α = 0.5: α·eˣ for x ≤ 0 (so α at exactly 0: compare with x > 0, not x >= 0, docs/conventions.md §3), 1 for x > 0',
      );
    },
  }),
  learnsXorFullBatch('ELU', () => new ELU(), 0.5),
]);
