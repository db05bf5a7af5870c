import fc from 'fast-check';
import { ELU } from '#impl/activations/elu.js';
import { fromArray, NonFiniteError, Rng, ShapeError, StateError, tensor } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  fail,
  finite,
  gradient,
  knownValue,
  layerGradients,
  property,
  tensorData,
  thrown,
  type TensorData,
} from '../harness/index.js';
import { learnsXorFullBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, ELU: y = x for x > 0, α·(eˣ − 1) otherwise; ∂L/∂x = ∂L/∂y · (x > 0 ? 1 : α·eˣ), and
 * α·eˣ = y + α (seed 004: 2847–2859; 003: 172–177). The slope at exactly 0 is α (the kit's branch x > 0,
 * as 004: 2854 writes it). Handout: docs/exercises/3-regularization.md#elu
 */
const elu = (x: number, alpha: number): number => (x > 0 ? x : alpha * Math.expm1(x));
const slope = (x: number, alpha: number): number => (x > 0 ? 1 : alpha * Math.exp(x));

/** Forward on `values`, then backward of ∂L/∂y = 1, 2, 3, … (distinct, so a mixed-up index shows). */
function pass(
  values: readonly number[],
  alpha: number,
): { values: readonly number[]; alpha: number; y: TensorData; dx: TensorData } {
  const layer = new ELU({ alpha });
  const y = tensorData(layer.forward(fromArray([...values])), 'ELU.forward');
  const dx = tensorData(layer.backward(fromArray(values.map((_, i) => i + 1))), 'ELU.backward');
  return { values, alpha, y, dx };
}

export default componentChecks('ex3', 'ELU', [
  property({
    title: 'forward and backward follow the definition on random inputs and α (0 included)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(fc.oneof(finite(6), fc.constant(0)), { minLength: 1, maxLength: 12 }),
          fc.double({ min: 0.05, max: 3, noNaN: true }),
        ),
        rng,
        30,
      ).map(([values, alpha]) => pass(values, alpha)),
    verify: (samples) =>
      samples.forEach(({ values, alpha, y, dx }, i) => {
        expectClose(
          y,
          values.map((x) => elu(x, alpha)),
          1e-12,
          `sample ${i} (α = ${alpha}): ELU.forward must be x for x > 0 and α·(eˣ − 1) otherwise (004: 2854)`,
        );
        expectClose(
          dx,
          values.map((x, k) => (k + 1) * slope(x, alpha)),
          1e-12,
          `sample ${i} (α = ${alpha}): ELU.backward must be ∂L/∂y·1 for x > 0 and ∂L/∂y·α·eˣ otherwise (004: 2856), α at x = 0, computed from the input`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'for x ≤ 0 the slope is y + α (003: 177), y stays above −α, and α = 0 gives ReLU',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.array(finite(8), { minLength: 1, maxLength: 10 }), fc.double({ min: 0.1, max: 2, noNaN: true })),
        rng,
        25,
      ).map(([values, alpha]) => ({
        ...pass(values, alpha),
        relu: tensorData(new ELU({ alpha: 0 }).forward(fromArray(values)), 'ELU.forward'),
      })),
    verify: (samples) =>
      samples.forEach(({ values, alpha, y, dx, relu }, i) => {
        values.forEach((x, k) => {
          if (!(y.data[k] > -alpha))
            fail(
              `sample ${i} (α = ${alpha}): ELU.forward(${x}) = ${y.data[k]}, but ELU never goes below −α (it saturates at −α as x → −∞, 003: 175)`,
            );
          if (x <= 0) {
            const want = (k + 1) * (y.data[k] + alpha);
            if (Math.abs(dx.data[k] - want) > 1e-9 * (1 + Math.abs(want))) {
              fail(
                `sample ${i} (α = ${alpha}): at x = ${x} ELU.backward gave ${dx.data[k]} for ∂L/∂y = ${k + 1}; the slope must be α·eˣ = y + α = ${y.data[k] + alpha} (003: 177), so expected ${want}`,
              );
            }
          }
        });
        expectClose(
          relu,
          values.map((x) => Math.max(0, x)),
          0,
          `sample ${i}: with α = 0, ELU is ReLU`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is continuous at 0 for every α: the two branches meet, f(−ε) ≈ f(0) = 0 ≈ f(ε)',
    run: (rng) =>
      drawSamples(fc.double({ min: 0.05, max: 3, noNaN: true }), rng, 15).map((alpha) => ({
        alpha,
        y: tensorData(new ELU({ alpha }).forward(fromArray([-1e-9, 0, 1e-9])), 'ELU.forward'),
      })),
    verify: (samples) =>
      samples.forEach(({ alpha, y }) => {
        expectClose(
          y,
          [-alpha * 1e-9, 0, 1e-9],
          1e-12,
          `ELU with α = ${alpha} at (−1e-9, 0, 1e-9): both branches must give 0 at 0, so α·(eˣ − 1) must keep its − 1 (004: 2854)`,
        );
      }),
    hiddenRerun: true,
  }),
  gradient({
    title: 'input gradient matches centred differences (α = 1 and α = 0.4), away from 0',
    run: () => {
      // Values kept away from 0, where the slope jumps from α to 1 (for α ≠ 1) and centred differences mean nothing.
      const x = tensor(
        Array.from(new Rng(11).normalTensor([4, 5], 0, 2).data, (v) => (Math.abs(v) < 0.05 ? v + 0.2 : v)),
        [4, 5],
      );
      return [layerGradients(new ELU(), x), layerGradients(new ELU({ alpha: 0.4 }), x)];
    },
    verify: ([plain, gentle]) => {
      expectGradientsMatch(plain, 1e-7);
      expectGradientsMatch(gentle, 1e-7);
    },
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
  badInput({
    title: 'rejects backward before forward, NaN input, a gradient of another shape, and a negative or infinite α',
    run: () => {
      const layer = new ELU();
      const early = thrown(() => layer.backward(tensor([1], [1, 1])));
      layer.forward(fromArray([[0.5, -1]]));
      return {
        early,
        wrongShape: thrown(() => layer.backward(tensor([1, 1], [2, 1]))),
        nan: thrown(() => layer.forward(tensor([NaN], [1, 1]))),
        negative: thrown(() => new ELU({ alpha: -0.1 })),
        infinite: thrown(() => new ELU({ alpha: Infinity })),
      };
    },
    verify: ({ early, wrongShape, nan, negative, infinite }) => {
      expectError(early, StateError.name, 'backward before any forward');
      expectError(wrongShape, ShapeError.name, 'backward with a [2, 1] gradient after a [1, 2] input');
      expectError(nan, NonFiniteError.name, 'forward of an input holding NaN');
      expectError(negative, RangeError.name, 'new ELU({ alpha: -0.1 })');
      expectError(infinite, RangeError.name, 'new ELU({ alpha: Infinity })');
    },
  }),
  learnsXorFullBatch('ELU', () => new ELU(), 0.5),
]);
