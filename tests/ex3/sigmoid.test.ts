import fc from 'fast-check';
import { Sigmoid, sigmoidBackwardCpu, sigmoidCpu } from '#impl/activations/sigmoid.js';
import { fromArray, ones } from '../../framework/index.js';
import {
  componentChecks,
  drawSamples,
  expectClose,
  fail,
  finite,
  knownValue,
  property,
  tensorData,
} from '../harness/index.js';
import { activationChecks } from '../helpers/activation-checks.js';
import { learnsXorMiniBatch } from '../helpers/activation-xor.js';

/**
 * Exercise 3, Sigmoid: y = σ(x) = 1/(1 + e^(−x)) element-wise (seed 004: 2712–2717; 000: 511), computed
 * as e^x/(1 + e^x) for x < 0 so nothing overflows; backward from the OUTPUT forward kept:
 * ∂L/∂x = ∂L/∂y · y·(1 − y). Handout: docs/exercises/3-regularization.md#sigmoid
 */

/** σ(x), computed stably: what verify compares against. */
const logistic = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export default componentChecks('ex3', 'Sigmoid', [
  ...activationChecks({
    name: 'Sigmoid',
    make: () => new Sigmoid(),
    f: logistic,
    slope: (x) => logistic(x) * (1 - logistic(x)),
    rule: {
      forward: '1/(1 + e^(−x)) (e^x/(1 + e^x) for x < 0)',
      backward: '∂L/∂y · y·(1 − y) with y the OUTPUT of forward (not the input x)',
    },
    spread: 6,
    gradient: { seed: 1, std: 3, kinkAtZero: false },
    bounds: { low: 0, high: 1, spread: 30, law: 'is symmetric: σ(−x) = 1 − σ(x)', mirror: (y) => 1 - y },
    saturation: {
      low: 0,
      high: 1,
      exactFrom: 800,
      hint: 'compute e^x/(1 + e^x) for x < 0 so that e^(−x) never overflows',
    },
    kernels: {
      forward: sigmoidCpu,
      backward: sigmoidBackwardCpu,
      names: ['sigmoidCpu', 'sigmoidBackwardCpu'],
      slopeOfOutput: 'y·(1 − y)',
    },
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
  learnsXorMiniBatch('Sigmoid', () => new Sigmoid(), { lr: 2, iterations: 1500 }),
]);
