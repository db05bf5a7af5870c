import fc from 'fast-check';
import { TanH, tanhBackwardCpu, tanhCpu } from '#impl/activations/tanh.js';
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
 * Exercise 3, TanH: y = tanh(x) element-wise (seed 003: 142; 004: 2734–2751), backward from the OUTPUT
 * forward kept: ∂L/∂x = ∂L/∂y · (1 − y²) (004: 2742). Handout: docs/exercises/3-regularization.md#tanh
 */

/** The logistic function written out here, so this test does not depend on the student's Sigmoid. */
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

/** tanh(x) and g·(1 − tanh(x)²) for each element. */
function definition(x: TensorData, g: TensorData) {
  const y = x.data.map(Math.tanh);
  return { y: { shape: x.shape, data: y }, dx: { shape: x.shape, data: g.data.map((v, i) => v * (1 - y[i] * y[i])) } };
}

function forwardBackward(x: ReturnType<typeof tensor>, g: ReturnType<typeof tensor>) {
  const layer = new TanH();
  const y = tensorData(layer.forward(x), 'TanH.forward');
  return {
    x: tensorData(x, 'x'),
    g: tensorData(g, 'gradOutput'),
    y,
    dx: tensorData(layer.backward(g), 'TanH.backward'),
  };
}

function verifyPass(pass: ReturnType<typeof forwardBackward>, where: string): void {
  const want = definition(pass.x, pass.g);
  expectFinite(pass.y, `${where}: TanH.forward`);
  expectClose(
    pass.y,
    want.y,
    1e-12,
    `${where}: TanH.forward must be tanh(x) (e^x − e^(−x))/(e^x + e^(−x)), finite for large |x|`,
  );
  expectFinite(pass.dx, `${where}: TanH.backward`);
  expectClose(
    pass.dx,
    want.dx,
    1e-12,
    `${where}: TanH.backward must be ∂L/∂y · (1 − y²) with y the OUTPUT of forward (not the input x, and y squared)`,
  );
}

export default componentChecks('ex3', 'TanH', [
  property({
    title: 'maps into ]−1, 1[ and is odd: tanh(−x) = −tanh(x)',
    run: (rng) =>
      drawSamples(matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), 15), rng, 40).map((rows) => {
        const x = fromArray(rows);
        return {
          x: tensorData(x, 'x'),
          y: tensorData(new TanH().forward(x), 'TanH.forward'),
          mirrored: tensorData(new TanH().forward(scale(x, -1)), 'TanH.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ x, y, mirrored }, s) => {
        y.data.forEach((v, i) => {
          if (!(v > -1 && v < 1)) fail(`sample ${s}: TanH(${x.data[i]}) = ${v} must lie in ]−1, 1[`);
          expectClose(mirrored.data[i], -v, 1e-12, `sample ${s}: TanH(−x) must equal −TanH(x) at x = ${x.data[i]}`);
        });
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is a shifted sigmoid: tanh(x) = 2σ(2x) − 1 (seed 004: 2746)',
    run: (rng) =>
      drawSamples(fc.array(finite(15), { minLength: 1, maxLength: 10 }), rng, 40).map((values) => ({
        values,
        y: tensorData(new TanH().forward(fromArray(values)), 'TanH.forward'),
      })),
    verify: (samples) =>
      samples.forEach(({ values, y }, s) => {
        expectClose(
          y,
          { shape: [values.length], data: values.map((v) => 2 * logistic(2 * v) - 1) },
          1e-12,
          `sample ${s}: TanH(x) vs 2σ(2x) − 1`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on a random batch of random shape agree with tanh(x) and ∂L/∂y · (1 − y²)',
    run: (rng) => {
      const shape = [intIn(rng, 1, 5), intIn(rng, 1, 5), intIn(rng, 1, 3)];
      return forwardBackward(rng.normalTensor(shape, 0, 3), rng.normalTensor(shape));
    },
    verify: (pass) => verifyPass(pass, 'a random batch'),
    hiddenRerun: true,
  }),
  property({
    title:
      'stays finite far out: tanh(±1000) = ±1, saturated values at ±40 and ±800, and the gradient there is 0, not NaN',
    run: (rng) => ({
      fixed: forwardBackward(tensor([-1000, -800, -40, 40, 800, 1000], [1, 6]), ones([1, 6])),
      random: forwardBackward(rng.uniformTensor([4, 5], -900, 900), rng.normalTensor([4, 5])),
    }),
    verify: ({ fixed, random }) => {
      expectFinite(
        fixed.y,
        'TanH.forward at ±40, ±800, ±1000 (e^800 overflows: use Math.tanh, or a form that does not)',
      );
      expectClose(fixed.y, [[-1, -1, -1, 1, 1, 1]], 0, 'TanH at −1000, −800, −40, 40, 800, 1000');
      expectFinite(fixed.dx, 'TanH.backward far out: 1 − y² must be 0, not NaN');
      expectClose(fixed.dx, [[0, 0, 0, 0, 0, 0]], 0, 'TanH.backward far out (1 − y² from the output)');
      verifyPass(random, 'inputs uniform in [−900, 900]');
    },
    hiddenRerun: true,
  }),
  property({
    title: 'the CPU kernels tanhCpu and tanhBackwardCpu on a 1-D tensor (what Exercise 5 replaces)',
    run: () => {
      const x = tensor([-1, 0, 2, -0.5, 1e-9], [5]);
      const y = tanhCpu(x);
      return {
        forward: tensorData(y, 'tanhCpu'),
        backward: tensorData(tanhBackwardCpu(y, tensor([5, 6, 7, -1, 2], [5])), 'tanhBackwardCpu'),
      };
    },
    verify: ({ forward, backward }) => {
      const want = definition({ shape: [5], data: [-1, 0, 2, -0.5, 1e-9] }, { shape: [5], data: [5, 6, 7, -1, 2] });
      expectClose(forward, want.y, 1e-12, 'tanhCpu(x): tanh element by element, same shape');
      expectClose(
        backward,
        want.dx,
        1e-12,
        'tanhBackwardCpu(y, gradOutput): gradOutput · (1 − y²), where the first argument is the OUTPUT y',
      );
    },
  }),
  gradient({
    title: 'input gradient matches centred differences',
    run: () => layerGradients(new TanH(), scale(new Rng(1).normalTensor([4, 5]), 2)),
    verify: (report) => expectGradientsMatch(report, 1e-7),
  }),
  knownValue({
    title: 'tanh(0.5) = 0.46211715726 and tanh(0) = 0 (seed 003: 142; catalogue §4.13)',
    run: () => tensorData(new TanH().forward(fromArray([0.5, 0, -0.5])), 'TanH.forward'),
    verify: (y) => expectClose(y, [0.46211715726, 0, -0.46211715726], 1e-10, 'TanH'),
  }),
  knownValue({
    title: "tanh'(x) = 1 − tanh(x)²: 1 at 0, 1 − 0.46211715726² at 0.5 (seed 004: 2742; 003: 144)",
    run: () => {
      const layer = new TanH();
      layer.forward(fromArray([0, 0.5]));
      return tensorData(layer.backward(fromArray([1, 2])), 'TanH.backward');
    },
    verify: (dx) => expectClose(dx, [1, 2 * (1 - 0.46211715726 ** 2)], 1e-10, 'TanH backward: gradOutput · (1 − y²)'),
  }),
  badInput({
    title: 'refuses a backward before forward (StateError) and a gradient of another shape (ShapeError)',
    run: () => {
      const layer = new TanH();
      // A valid forward first: the refusals are given code, which the stub has too.
      const y = tensorData(layer.forward(fromArray([[0.5, -1]])), 'TanH.forward');
      return {
        y,
        early: thrown(() => new TanH().backward(ones([1, 1]))),
        wrongShape: thrown(() => layer.backward(ones([2, 1]))),
      };
    },
    verify: ({ y, early, wrongShape }) => {
      expectClose(y, [[Math.tanh(0.5), Math.tanh(-1)]], 1e-12, 'TanH.forward of [[0.5, −1]]');
      expectError(early, StateError.name, 'TanH.backward before any forward');
      expectError(wrongShape, ShapeError.name, 'TanH.backward of a [2, 1] gradient after a [1, 2] forward');
    },
  }),
  learnsXorMiniBatch('TanH', () => new TanH(), { lr: 0.5, iterations: 1000 }),
]);
