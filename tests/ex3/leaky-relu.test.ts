import fc from 'fast-check';
import { LeakyReLU } from '#impl/activations/leaky-relu.js';
import { fromArray, NonFiniteError, Rng, ShapeError, StateError, tensor } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  finite,
  gradient,
  knownValue,
  layerGradients,
  property,
  tensorData,
  thrown,
} from '../harness/index.js';
import { learnsXorFullBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, LeakyReLU: y = x for x > 0, α·x otherwise; ∂L/∂x = ∂L/∂y · (x > 0 ? 1 : α), with α at
 * exactly 0 (seed 004: 2837–2844). Handout: docs/exercises/3-regularization.md#leakyrelu
 */
const leaky = (x: number, alpha: number): number => (x > 0 ? x : alpha * x);
const slope = (x: number, alpha: number): number => (x > 0 ? 1 : alpha);

export default componentChecks('ex3', 'LeakyReLU', [
  property({
    title: 'forward and backward follow the definition on random inputs and slopes (0 included)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(fc.oneof(finite(5), fc.constant(0)), { minLength: 1, maxLength: 12 }),
          fc.double({ min: 0, max: 0.5, noNaN: true }),
        ),
        rng,
        30,
      ).map(([values, alpha]) => {
        const layer = new LeakyReLU({ alpha });
        const y = tensorData(layer.forward(fromArray(values)), 'LeakyReLU.forward');
        const dy = values.map((_, i) => i + 1);
        return { values, alpha, y, dx: tensorData(layer.backward(fromArray(dy)), 'LeakyReLU.backward') };
      }),
    verify: (samples) =>
      samples.forEach(({ values, alpha, y, dx }, i) => {
        expectClose(
          y,
          values.map((x) => leaky(x, alpha)),
          1e-12,
          `sample ${i} (α = ${alpha}): LeakyReLU.forward must be x for x > 0 and α·x otherwise`,
        );
        expectClose(
          dx,
          values.map((x, k) => (k + 1) * slope(x, alpha)),
          1e-12,
          `sample ${i} (α = ${alpha}): LeakyReLU.backward must be ∂L/∂y·1 for x > 0 and ∂L/∂y·α otherwise (α at x = 0), computed from the input`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is positively homogeneous, f(c·x) = c·f(x) for c > 0, and is ReLU when α = 0',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.array(finite(5), { minLength: 1, maxLength: 8 }), fc.double({ min: 0.1, max: 10, noNaN: true })),
        rng,
        20,
      ).map(([values, c]) => ({
        c,
        y: tensorData(new LeakyReLU().forward(fromArray(values)), 'LeakyReLU.forward'),
        scaled: tensorData(new LeakyReLU().forward(fromArray(values.map((v) => c * v))), 'LeakyReLU.forward'),
        relu: tensorData(new LeakyReLU({ alpha: 0 }).forward(fromArray(values)), 'LeakyReLU.forward'),
        values,
      })),
    verify: (samples) =>
      samples.forEach(({ c, y, scaled, relu, values }, i) => {
        expectClose(
          scaled,
          { shape: y.shape, data: y.data.map((v) => c * v) },
          1e-10,
          `sample ${i}: LeakyReLU(${c}·x) must equal ${c}·LeakyReLU(x)`,
        );
        expectClose(
          relu,
          values.map((x) => Math.max(0, x)),
          0,
          `sample ${i}: with α = 0, LeakyReLU is ReLU`,
        );
      }),
  }),
  gradient({
    title: 'input gradient matches centred differences (default α and α = 0.2)',
    run: () => {
      // Values kept away from 0, where the derivative jumps and centred differences mean nothing.
      const x = tensor(
        Array.from(new Rng(3).normalTensor([4, 5]).data, (v) => (Math.abs(v) < 0.05 ? v + 0.2 : v)),
        [4, 5],
      );
      return [layerGradients(new LeakyReLU(), x), layerGradients(new LeakyReLU({ alpha: 0.2 }), x)];
    },
    verify: ([plain, steep]) => {
      expectGradientsMatch(plain, 1e-7);
      expectGradientsMatch(steep, 1e-7);
    },
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
  badInput({
    title: 'rejects backward before forward, NaN input, a gradient of another shape, and α outside [0, 1)',
    run: () => {
      const layer = new LeakyReLU();
      const early = thrown(() => layer.backward(tensor([1], [1, 1])));
      layer.forward(fromArray([[0.5, -1]]));
      return {
        early,
        wrongShape: thrown(() => layer.backward(tensor([1, 1], [2, 1]))),
        nan: thrown(() => layer.forward(tensor([NaN], [1, 1]))),
        alpha: thrown(() => new LeakyReLU({ alpha: -0.1 })),
      };
    },
    verify: ({ early, wrongShape, nan, alpha }) => {
      expectError(early, StateError.name, 'backward before any forward');
      expectError(wrongShape, ShapeError.name, 'backward with a [2, 1] gradient after a [1, 2] input');
      expectError(nan, NonFiniteError.name, 'forward of an input holding NaN');
      expectError(alpha, RangeError.name, 'new LeakyReLU({ alpha: -0.1 })');
    },
  }),
  learnsXorFullBatch('LeakyReLU', () => new LeakyReLU({ alpha: 0.05 }), 0.5),
]);
