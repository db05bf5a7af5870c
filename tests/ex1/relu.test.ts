import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, NonFiniteError, Rng, ShapeError, StateError, tensor, xor } from '../../framework/index.js';
import { ReLU, reluBackwardCpu, reluCpu } from '#impl/activations/relu.js';
import {
  accuracyOf,
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  fail,
  finite,
  gradient,
  intIn,
  knownValue,
  labelsOf,
  layerGradients,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { SoftmaxCrossEntropyDouble, sgdStepDouble, trainDouble, forwardAll } from '../helpers/doubles.js';
import { denseDouble } from '../helpers/dense-double.js';

/**
 * Exercise 1, ReLU: y = max(0, x) element-wise; backward passes ∂L/∂y where x > 0 and blocks it where
 * x ≤ 0 (derivative 0 at exactly 0, seed 004: 2806). Handout: docs/exercises/1-feed-forward.md#relu
 */

/** Values with exact zeros mixed in: the kink is where students go wrong (`>=` instead of `>`). */
const valueNearKink = fc.oneof(
  { arbitrary: finite(), weight: 4 },
  { arbitrary: fc.constantFrom(0, -0, 1e-12, -1e-12), weight: 1 },
);

/** max(0, v), element by element: what verify compares forward against. */
const relu = (values: readonly number[]): number[] => values.map((v) => (v > 0 ? v : 0));
/** The upstream gradient where x > 0, else 0: what verify compares backward against. */
const masked = (x: readonly number[], g: readonly number[]): number[] => g.map((v, i) => (x[i] > 0 ? v : 0));

/** Forward and backward on a random tensor of rank 1 to 4, all drawn from `rng`. */
function randomPass(rng: Rng) {
  const rank = intIn(rng, 1, 4);
  const shape = Array.from({ length: rank }, () => intIn(rng, 1, 4));
  const layer = new ReLU();
  const x = rng.normalTensor(shape);
  const g = rng.normalTensor(shape);
  const y = tensorData(layer.forward(x), 'ReLU.forward');
  return {
    x: tensorData(x, 'x'),
    g: tensorData(g, 'gradOutput'),
    y,
    dx: tensorData(layer.backward(g), 'ReLU.backward'),
  };
}

export default componentChecks('ex1', 'ReLU', [
  property({
    title: 'output is max(0, x): never negative, equal to x where x > 0, and the input is left unchanged',
    run: (rng) =>
      drawSamples(fc.array(valueNearKink, { minLength: 1, maxLength: 30 }), rng, 40).map((values) => {
        const x = tensor(values, [1, values.length]);
        const y = tensorData(new ReLU().forward(x), 'ReLU.forward');
        return { values, y, after: Array.from(x.data) };
      }),
    verify: (samples) =>
      samples.forEach(({ values, y, after }, s) => {
        expectClose(
          y,
          { shape: [1, values.length], data: relu(values) },
          0,
          `sample ${s}: ReLU.forward (reluCpu) must be max(0, x)`,
        );
        expectClose(
          { shape: [values.length], data: after },
          values,
          0,
          `sample ${s}: ReLU.forward changed its input; write into y, not into x`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is idempotent and positively homogeneous: ReLU(ReLU(x)) = ReLU(x), ReLU(a·x) = a·ReLU(x) for a > 0',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.array(finite(), { minLength: 1, maxLength: 20 }), fc.double({ min: 0.1, max: 10, noNaN: true })),
        rng,
        30,
      ).map(([values, a]) => {
        const layer = new ReLU();
        const once = layer.forward(tensor(values, [values.length]));
        const onceData = tensorData(once, 'ReLU.forward');
        return {
          a,
          once: onceData,
          twice: tensorData(layer.forward(once), 'ReLU.forward'),
          scaled: tensorData(
            layer.forward(
              tensor(
                values.map((v) => a * v),
                [values.length],
              ),
            ),
            'ReLU.forward',
          ),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ a, once, twice, scaled }, s) => {
        expectClose(twice, once, 0, `sample ${s}: ReLU applied twice must equal ReLU once`);
        expectClose(
          scaled,
          { shape: once.shape, data: once.data.map((v) => a * v) },
          1e-12,
          `sample ${s}: ReLU(${a}·x) must equal ${a}·ReLU(x)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'backward passes the upstream gradient where x > 0 and blocks it where x ≤ 0, whatever its sign',
    run: (rng) =>
      drawSamples(fc.array(fc.tuple(valueNearKink, finite()), { minLength: 1, maxLength: 20 }), rng, 40).map(
        (pairs) => {
          const x = pairs.map(([v]) => v);
          const g = pairs.map(([, v]) => v);
          const layer = new ReLU();
          layer.forward(tensor(x, [x.length]));
          return { x, g, dx: tensorData(layer.backward(tensor(g, [g.length])), 'ReLU.backward') };
        },
      ),
    verify: (samples) =>
      samples.forEach(({ x, g, dx }, s) => {
        const want = masked(x, g);
        const wrong = want.findIndex((v, i) => dx.data[i] !== v);
        if (dx.shape.length !== 1 || dx.shape[0] !== x.length)
          fail(`sample ${s}: ReLU.backward returned shape [${dx.shape.join(', ')}], expected [${x.length}]`);
        if (wrong >= 0) {
          fail(
            `sample ${s}: ReLU.backward (reluBackwardCpu) at x = ${x[wrong]} with upstream gradient ${g[wrong]} gave ${dx.data[wrong]}, expected ${want[wrong]}. ` +
              'The mask comes from the input x (x > 0, strictly: the derivative at 0 is 0), and what passes is the upstream gradient dy, not x or y.',
          );
        }
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on random shapes of rank 1 to 4 keep the shape and agree with the definition',
    run: (rng) => randomPass(rng),
    verify: ({ x, g, y, dx }) => {
      expectClose(
        y,
        { shape: x.shape, data: relu(x.data) },
        0,
        'ReLU.forward on a random tensor: max(0, x), same shape',
      );
      expectClose(
        dx,
        { shape: x.shape, data: masked(x.data, g.data) },
        0,
        'ReLU.backward on a random tensor: dy where x > 0, else 0, same shape',
      );
    },
    hiddenRerun: true,
  }),
  gradient({
    title: 'input gradient matches centred differences away from the kink',
    run: (rng) => {
      // Keep |x| ≥ 0.1 so that x ± h never crosses 0, where ReLU has no derivative.
      const x = rng.uniformTensor([4, 6], 0.1, 2);
      x.data.forEach((v, i) => {
        x.data[i] = rng.bernoulli(0.5) ? v : -v;
      });
      return layerGradients(new ReLU(), x);
    },
    verify: (report) => expectGradientsMatch(report, 1e-8),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'reproduces z¹ = max(0, z_in¹) = (79, 0, 9, 0) and z³ = (0, 24, 0, 17) of seed 000: 771 and 864–865',
    run: () => ({
      z1: tensorData(new ReLU().forward(fromArray([[79, -70, 9, -26]])), 'ReLU.forward'),
      z3: tensorData(new ReLU().forward(fromArray([[0, 24, -54, 17]])), 'ReLU.forward'),
    }),
    verify: ({ z1, z3 }) => {
      expectClose(z1, [[79, 0, 9, 0]], 0, 'seed 000: 771, z¹');
      expectClose(z3, [[0, 24, 0, 17]], 0, 'seed 000: 865, z³');
    },
  }),
  knownValue({
    title:
      'backward on x = (−2, 0, 3) with upstream gradient (5, 6, 7) gives (0, 0, 7): derivative 0 at 0 (seed 004: 2806)',
    run: () => {
      const layer = new ReLU();
      layer.forward(fromArray([[-2, 0, 3]]));
      return tensorData(layer.backward(fromArray([[5, 6, 7]])), 'ReLU.backward');
    },
    verify: (dx) =>
      expectClose(
        dx,
        [[0, 0, 7]],
        0,
        'ReLU.backward on x = (−2, 0, 3): at x = 0 the gradient is blocked (compare with >, not >=)',
      ),
  }),
  knownValue({
    title: 'forward and backward on values around 0, including −1e−9 and exactly 0',
    run: () => {
      const layer = new ReLU();
      const y = tensorData(layer.forward(tensor([-2, -0.5, 0, 0.5, 3, -1e-9], [2, 3])), 'ReLU.forward');
      return { y, dx: tensorData(layer.backward(tensor([1, 2, 3, 4, 5, 6], [2, 3])), 'ReLU.backward') };
    },
    verify: ({ y, dx }) => {
      expectClose(
        y,
        [
          [0, 0, 0],
          [0.5, 3, 0],
        ],
        0,
        'ReLU.forward on (−2, −0.5, 0 | 0.5, 3, −1e−9)',
      );
      expectClose(
        dx,
        [
          [0, 0, 0],
          [4, 5, 0],
        ],
        0,
        'ReLU.backward with upstream (1, 2, 3 | 4, 5, 6): passes only where x > 0',
      );
    },
  }),
  knownValue({
    title: "the CPU kernels 'relu' and 'reluBackward' called directly on a 1-D tensor",
    run: () => {
      const x = tensor([-1, 0, 2], [3]);
      return {
        forward: tensorData(reluCpu(x), 'reluCpu'),
        backward: tensorData(reluBackwardCpu(x, tensor([5, 6, 7], [3])), 'reluBackwardCpu'),
      };
    },
    verify: ({ forward, backward }) => {
      expectClose(forward, [0, 0, 2], 0, 'reluCpu(−1, 0, 2)');
      expectClose(backward, [0, 0, 7], 0, 'reluBackwardCpu(x = (−1, 0, 2), dy = (5, 6, 7))');
    },
  }),
  badInput({
    title: 'rejects backward before forward, NaN input, and a gradient of another shape',
    run: () => {
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const y = tensorData(new ReLU().forward(tensor([-1, 2], [1, 2])), 'ReLU.forward');
      const relu = new ReLU();
      const early = thrown(() => relu.backward(tensor([1], [1, 1])));
      const nan = thrown(() => relu.forward(tensor([NaN], [1, 1])));
      relu.forward(tensor([1, 2], [1, 2]));
      return { y, early, nan, wrongShape: thrown(() => relu.backward(tensor([1], [1, 1]))) };
    },
    verify: ({ y, early, nan, wrongShape }) => {
      expectClose(y, [[0, 2]], 0, 'ReLU.forward of (−1, 2)');
      expectError(early, StateError.name, 'ReLU.backward before any forward');
      expectError(nan, NonFiniteError.name, 'ReLU.forward of an input holding NaN');
      expectError(wrongShape, ShapeError.name, 'ReLU.backward of a [1, 1] gradient after a [1, 2] input', [
        'ReLU.backward',
      ]);
    },
  }),
  training({
    title: 'a hidden ReLU layer solves XOR, which no linear model can (accuracy ≥ 0.95)',
    // Linear layers, loss and update are test-local doubles: only the ReLU is yours.
    run: () => {
      const rng = new Rng(21);
      const data = xor({ points: 100, rng });
      const layers = [denseDouble(2, 16, rng, 'uniform'), new ReLU(), denseDouble(16, 2, rng, 'uniform')];
      const losses = trainDouble(
        layers,
        new SoftmaxCrossEntropyDouble(),
        (p) => sgdStepDouble(p, 1),
        data.x,
        data.y,
        300,
      );
      return {
        first: losses[0],
        last: losses.at(-1)!,
        scores: tensorData(forwardAll(layers, data.x), 'the network with your ReLU'),
        labels: labelsOf(data.y),
      };
    },
    verify: ({
      first,
      last,
      scores,
      labels,
    }: {
      first: number;
      last: number;
      scores: TensorData;
      labels: number[];
    }) => {
      expect(last, 'the training loss should fall; check ReLU.forward and ReLU.backward').toBeLessThan(first * 0.5);
      expect(
        accuracyOf(scores, labels),
        'XOR accuracy with your ReLU between two linear layers',
      ).toBeGreaterThanOrEqual(0.95);
    },
    matchReference: false,
  }),
]);
