import fc from 'fast-check';
import { Sigmoid, sigmoidBackwardCpu, sigmoidCpu } from '#impl/activations/sigmoid.js';
import { fromArray, ones, Rng, scale, ShapeError, StateError, tensor } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectFinite,
  expectGradientsMatch,
  fail,
  finite,
  gradient,
  intIn,
  knownValue,
  layerGradients,
  matrix,
  property,
  tensorData,
  thrown,
  type TensorData,
} from '../harness/index.js';
import { learnsXorMiniBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, Sigmoid: y = σ(x) = 1/(1 + e^(−x)) element-wise (seed 004: 2712–2717; 000: 511), computed
 * as e^x/(1 + e^x) for x < 0 so nothing overflows; backward from the OUTPUT forward kept:
 * ∂L/∂x = ∂L/∂y · y·(1 − y). Handout: docs/exercises/3-regularization.md#sigmoid
 */

/** σ(x), computed stably: what verify compares against. */
const logistic = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** σ(x) and g·σ(x)(1 − σ(x)) for each element. */
function definition(x: TensorData, g: TensorData) {
  const y = x.data.map(logistic);
  return { y: { shape: x.shape, data: y }, dx: { shape: x.shape, data: g.data.map((v, i) => v * y[i] * (1 - y[i])) } };
}

function forwardBackward(x: ReturnType<typeof tensor>, g: ReturnType<typeof tensor>) {
  const layer = new Sigmoid();
  const y = tensorData(layer.forward(x), 'Sigmoid.forward');
  return {
    x: tensorData(x, 'x'),
    g: tensorData(g, 'gradOutput'),
    y,
    dx: tensorData(layer.backward(g), 'Sigmoid.backward'),
  };
}

function verifyPass(pass: ReturnType<typeof forwardBackward>, where: string): void {
  const want = definition(pass.x, pass.g);
  expectFinite(pass.y, `${where}: Sigmoid.forward`);
  expectClose(pass.y, want.y, 1e-12, `${where}: Sigmoid.forward must be 1/(1 + e^(−x)) (e^x/(1 + e^x) for x < 0)`);
  expectFinite(pass.dx, `${where}: Sigmoid.backward`);
  expectClose(
    pass.dx,
    want.dx,
    1e-12,
    `${where}: Sigmoid.backward must be ∂L/∂y · y·(1 − y) with y the OUTPUT of forward (not the input x)`,
  );
}

export default componentChecks('ex3', 'Sigmoid', [
  property({
    title: 'maps into ]0, 1[ and is symmetric: σ(−x) = 1 − σ(x)',
    run: (rng) =>
      drawSamples(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), 30), rng, 40).map((rows) => {
        const x = fromArray(rows);
        return {
          x: tensorData(x, 'x'),
          y: tensorData(new Sigmoid().forward(x), 'Sigmoid.forward'),
          mirrored: tensorData(new Sigmoid().forward(scale(x, -1)), 'Sigmoid.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ x, y, mirrored }, s) => {
        y.data.forEach((v, i) => {
          if (!(v > 0 && v < 1)) fail(`sample ${s}: Sigmoid(${x.data[i]}) = ${v} must lie in ]0, 1[`);
          expectClose(
            mirrored.data[i],
            1 - v,
            1e-12,
            `sample ${s}: Sigmoid(−x) must equal 1 − Sigmoid(x) at x = ${x.data[i]}`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is increasing',
    run: (rng) =>
      drawSamples(fc.array(finite(20), { minLength: 2, maxLength: 12 }), rng, 40).map((values) => {
        const sorted = [...values].sort((a, b) => a - b);
        return { sorted, y: tensorData(new Sigmoid().forward(fromArray(sorted)), 'Sigmoid.forward') };
      }),
    verify: (samples) =>
      samples.forEach(({ sorted, y }, s) => {
        for (let i = 1; i < y.data.length; i++) {
          if (!(y.data[i] >= y.data[i - 1]))
            fail(
              `sample ${s}: Sigmoid must not decrease: σ(${sorted[i - 1]}) = ${y.data[i - 1]} > σ(${sorted[i]}) = ${y.data[i]}`,
            );
        }
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on a random batch of random shape agree with σ(x) and ∂L/∂y · y·(1 − y)',
    run: (rng) => {
      const shape = [intIn(rng, 1, 5), intIn(rng, 1, 5), intIn(rng, 1, 3)];
      return forwardBackward(rng.normalTensor(shape, 0, 3), rng.normalTensor(shape));
    },
    verify: (pass) => verifyPass(pass, 'a random batch'),
    hiddenRerun: true,
  }),
  property({
    title:
      'stays finite far out: σ(−1000) = 0, σ(1000) = 1, saturated values at ±40 and ±800, and the gradient there is 0, not NaN',
    run: (rng) => ({
      fixed: forwardBackward(tensor([-1000, -800, -40, 40, 800, 1000], [1, 6]), ones([1, 6])),
      random: forwardBackward(rng.uniformTensor([4, 5], -900, 900), rng.normalTensor([4, 5])),
    }),
    verify: ({ fixed, random }) => {
      expectFinite(
        fixed.y,
        'Sigmoid.forward at ±40, ±800, ±1000 (compute e^x/(1 + e^x) for x < 0 so that e^(−x) never overflows)',
      );
      expectClose(
        fixed.y,
        [[0, 0, logistic(-40), logistic(40), 1, 1]],
        1e-12,
        'Sigmoid at −1000, −800, −40, 40, 800, 1000',
      );
      [0, 1, 4, 5].forEach((i) => {
        if (fixed.y.data[i] !== [0, 0, 0, 0, 1, 1][i])
          fail(
            `Sigmoid(${[-1000, -800, -40, 40, 800, 1000][i]}) is ${fixed.y.data[i]}, expected exactly ${[0, 0, 0, 0, 1, 1][i]}`,
          );
      });
      expectFinite(fixed.dx, 'Sigmoid.backward far out: y·(1 − y) must be 0, not NaN');
      expectClose(
        fixed.dx,
        [[0, 0, logistic(-40) * (1 - logistic(-40)), 0, 0, 0]],
        1e-12,
        'Sigmoid.backward far out (y·(1 − y) from the output)',
      );
      verifyPass(random, 'inputs uniform in [−900, 900]');
    },
    hiddenRerun: true,
  }),
  property({
    title: 'the CPU kernels sigmoidCpu and sigmoidBackwardCpu on a 1-D tensor (what Exercise 5 replaces)',
    run: () => {
      const x = tensor([-1, 0, 2, -0.5, 1e-9], [5]);
      const y = sigmoidCpu(x);
      return {
        forward: tensorData(y, 'sigmoidCpu'),
        backward: tensorData(sigmoidBackwardCpu(y, tensor([5, 6, 7, -1, 2], [5])), 'sigmoidBackwardCpu'),
      };
    },
    verify: ({ forward, backward }) => {
      const want = definition({ shape: [5], data: [-1, 0, 2, -0.5, 1e-9] }, { shape: [5], data: [5, 6, 7, -1, 2] });
      expectClose(forward, want.y, 1e-12, 'sigmoidCpu(x): σ element by element, same shape');
      expectClose(
        backward,
        want.dx,
        1e-12,
        'sigmoidBackwardCpu(y, gradOutput): gradOutput · y·(1 − y), where the first argument is the OUTPUT y',
      );
    },
  }),
  gradient({
    title: 'input gradient matches centred differences',
    run: () => layerGradients(new Sigmoid(), scale(new Rng(1).normalTensor([4, 5]), 3)),
    verify: (report) => expectGradientsMatch(report, 1e-7),
  }),
  knownValue({
    title:
      'the hidden layer of seed 000: 460–511: σ(−3, 2, 0, 7) = (0.047426, 0.880797, 0.5, 0.999089) (slide: 0.05, 0.88, 0.50, 0.99)',
    run: () => tensorData(new Sigmoid().forward(fromArray([[-3, 2, 0, 7]])), 'Sigmoid.forward'),
    verify: (y) => expectClose(y, [[0.0474258732, 0.880797078, 0.5, 0.9990889488]], 1e-9, "Sigmoid on the seed's z_in"),
  }),
  knownValue({
    title: 'the output neuron of seed 000: 539–540: σ(0.571802) = 0.639179 (slide: 0.64)',
    run: () => tensorData(new Sigmoid().forward(fromArray([0.571802])), 'Sigmoid.forward'),
    verify: (y) => expectClose(y, [0.6391794], 1e-6, 'Sigmoid of f_in'),
  }),
  knownValue({
    title: "σ'(0) = σ(0)(1 − σ(0)) = 0.25, the largest derivative (seed 004: 2717; 003: 291's 0.2 is a seed error)",
    run: () => {
      const layer = new Sigmoid();
      layer.forward(fromArray([0, 2, -2]));
      return tensorData(layer.backward(ones([3])), 'Sigmoid.backward');
    },
    verify: (dx) => {
      const s = 1 / (1 + Math.exp(-2));
      expectClose(
        dx,
        [0.25, s * (1 - s), s * (1 - s)],
        1e-12,
        "Sigmoid backward of ones: σ'(x) = σ(x)(1 − σ(x)), from the output σ(x), not from x",
      );
    },
  }),
  badInput({
    title: 'refuses a backward before forward (StateError) and a gradient of another shape (ShapeError)',
    run: () => {
      const layer = new Sigmoid();
      // A valid forward first: the refusals are given code, which the stub has too.
      const y = tensorData(layer.forward(fromArray([[0.5, -1]])), 'Sigmoid.forward');
      return {
        y,
        early: thrown(() => new Sigmoid().backward(ones([1, 1]))),
        wrongShape: thrown(() => layer.backward(ones([2, 1]))),
      };
    },
    verify: ({ y, early, wrongShape }) => {
      expectClose(y, [[logistic(0.5), logistic(-1)]], 1e-12, 'Sigmoid.forward of [[0.5, −1]]');
      expectError(early, StateError.name, 'Sigmoid.backward before any forward');
      expectError(wrongShape, ShapeError.name, 'Sigmoid.backward of a [2, 1] gradient after a [1, 2] forward');
    },
  }),
  learnsXorMiniBatch('Sigmoid', () => new Sigmoid(), { lr: 2, iterations: 1500 }),
]);
