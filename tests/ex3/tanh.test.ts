import fc from 'fast-check';
import { TanH, tanhBackwardCpu, tanhCpu } from '#impl/activations/tanh.js';
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
import { learnsXorMiniBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, TanH: y = tanh(x) element-wise (seed 003: 142; 004: 2734–2751), backward from the OUTPUT
 * forward kept: ∂L/∂x = ∂L/∂y · (1 − y²) (004: 2742). Handout: docs/exercises/3-regularization.md#tanh
 */

/** The logistic function written out here, so this test does not depend on the student's Sigmoid. */
const logistic = (x: number): number => 1 / (1 + Math.exp(-x));

export default componentChecks('ex3', 'TanH', [
  ...activationChecks({
    name: 'TanH',
    make: () => new TanH(),
    f: Math.tanh,
    slope: (x) => 1 - Math.tanh(x) ** 2,
    rule: {
      forward: 'tanh(x) = (e^x − e^(−x))/(e^x + e^(−x)), finite for large |x|',
      backward: '∂L/∂y · (1 − y²) with y the OUTPUT of forward (not the input x, and y squared)',
    },
    spread: 6,
    gradient: { seed: 1, std: 2, kinkAtZero: false },
    bounds: { low: -1, high: 1, spread: 15, law: 'is odd: tanh(−x) = −tanh(x)', mirror: (y) => -y },
    saturation: { low: -1, high: 1, exactFrom: 40, hint: 'e^800 overflows: use Math.tanh, or a form that does not' },
    kernels: {
      forward: tanhCpu,
      backward: tanhBackwardCpu,
      names: ['tanhCpu', 'tanhBackwardCpu'],
      slopeOfOutput: '(1 − y²)',
    },
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
  learnsXorMiniBatch('TanH', () => new TanH(), { lr: 0.5, iterations: 1000 }),
]);
