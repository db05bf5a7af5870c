import fc from 'fast-check';
import { expect } from 'vitest';
import { fromArray, NonFiniteError, Rng, ShapeError, StateError, tensor } from '../../framework/index.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  gradient,
  gradientData,
  intIn,
  knownValue,
  layerGradients,
  matrix,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { SoftmaxCrossEntropyDouble } from '../helpers/doubles.js';
import { trainOnIris, verifyIrisTraining } from '../helpers/iris-training.js';

/**
 * Exercise 1, FullyConnected: y = x·W + b with W [in, out]; backward returns E·Wᵀ and adds xᵀ·E to
 * W.grad and Σ_batch E to b.grad. Handout: docs/exercises/1-feed-forward.md#fullyconnected
 */

/** A layer with chosen weights: W [in, out] and b [out]. */
function layerWith(weight: number[][], bias: number[]): FullyConnected {
  const layer = new FullyConnected(weight.length, bias.length, { rng: new Rng(0) });
  layer.weight.assign(fromArray(weight));
  layer.bias.assign(fromArray(bias));
  return layer;
}

/** x·W + b and the three gradients written out with loops: what verify compares against. */
function definition(x: TensorData, w: TensorData, b: TensorData, e: TensorData) {
  const [batch, inputs] = x.shape;
  const outputs = w.shape[1];
  const y = new Array<number>(batch * outputs).fill(0);
  const dx = new Array<number>(batch * inputs).fill(0);
  const dw = new Array<number>(inputs * outputs).fill(0);
  const db = new Array<number>(outputs).fill(0);
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outputs; o++) {
      const g = e.data[n * outputs + o];
      y[n * outputs + o] = b.data[o];
      db[o] += g;
      for (let i = 0; i < inputs; i++) {
        y[n * outputs + o] += x.data[n * inputs + i] * w.data[i * outputs + o];
        dx[n * inputs + i] += w.data[i * outputs + o] * g;
        dw[i * outputs + o] += x.data[n * inputs + i] * g;
      }
    }
  }
  return {
    y: { shape: [batch, outputs], data: y },
    dx: { shape: [batch, inputs], data: dx },
    dw: { shape: [inputs, outputs], data: dw },
    db: { shape: [outputs], data: db },
  };
}

/** A layer of random size with random weights, a batch and an upstream gradient, all from `rng`. */
function randomPass(rng: Rng, batch = intIn(rng, 1, 6)) {
  const inputs = intIn(rng, 1, 7);
  const outputs = intIn(rng, 1, 5);
  const layer = new FullyConnected(inputs, outputs, { rng: rng.fork() });
  layer.weight.assign(rng.normalTensor([inputs, outputs]));
  layer.bias.assign(rng.normalTensor([outputs]));
  const x = rng.normalTensor([batch, inputs]);
  const e = rng.normalTensor([batch, outputs]);
  const y = tensorData(layer.forward(x), 'FullyConnected.forward');
  const dx = tensorData(layer.backward(e), 'FullyConnected.backward');
  return {
    x: tensorData(x, 'x'),
    w: tensorData(layer.weight.value, 'weight'),
    b: tensorData(layer.bias.value, 'bias'),
    e: tensorData(e, 'E'),
    y,
    dx,
    grads: gradientData(layer.parameters(), 'FullyConnected.backward'),
  };
}

function verifyPass(pass: ReturnType<typeof randomPass>): void {
  const want = definition(pass.x, pass.w, pass.b, pass.e);
  expectClose(pass.y, want.y, 1e-9, 'FullyConnected.forward: y = x·W + b');
  expectClose(pass.dx, want.dx, 1e-9, 'FullyConnected.backward: ∂L/∂x = E·Wᵀ (the return value)');
  expectClose(
    pass.grads.weight,
    want.dw,
    1e-9,
    'FullyConnected weight.grad: ∂L/∂W = xᵀ·E, summed over the batch (not averaged)',
  );
  expectClose(pass.grads.bias, want.db, 1e-9, 'FullyConnected bias.grad: ∂L/∂b = Σ over the batch of E');
}

export default componentChecks('ex1', 'FullyConnected', [
  property({
    title: 'is affine: f(x1 + x2) − f(0) = (f(x1) − f(0)) + (f(x2) − f(0))',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 5 }),
          fc.integer({ min: 1, max: 4 }),
          fc.integer(),
        ),
        rng,
        30,
      ).map(([inputs, outputs, batch, seed]) => {
        const draw = new Rng(seed);
        const layer = new FullyConnected(inputs, outputs, { rng: draw });
        const x1 = draw.normalTensor([batch, inputs]);
        const x2 = draw.normalTensor([batch, inputs]);
        const sum = tensor(
          x1.data.map((v, i) => v + x2.data[i]),
          x1.shape,
        );
        const zero = tensor(new Array(batch * inputs).fill(0), [batch, inputs]);
        return [zero, x1, x2, sum].map((x) => tensorData(layer.forward(x), 'FullyConnected.forward'));
      }),
    verify: (samples) =>
      samples.forEach(([zero, a, b, c], i) => {
        const expected = { shape: a.shape, data: a.data.map((v, k) => v + b.data[k] - zero.data[k]) };
        expectClose(c, expected, 1e-9, `sample ${i}: FullyConnected.forward is not affine; y must be x·W + b`);
      }),
    hiddenRerun: true,
    matchReference: false,
  }),
  property({
    title: 'maps [batch, in] to [batch, out] and treats each row independently',
    run: (rng) =>
      drawSamples(matrix(fc.integer({ min: 1, max: 6 }), fc.constant(3)), rng, 30).map((rows) => {
        const layer = new FullyConnected(3, 2, { rng: new Rng(7) });
        return {
          whole: tensorData(layer.forward(fromArray(rows)), 'FullyConnected.forward'),
          rows: rows.map((row) => tensorData(layer.forward(fromArray([row])), 'FullyConnected.forward')),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ whole, rows }, i) => {
        expect(whole.shape, `sample ${i}: FullyConnected.forward output must be [batch, outFeatures]`).toEqual([
          rows.length,
          2,
        ]);
        rows.forEach((single, r) => {
          expectClose(
            single,
            { shape: [1, 2], data: whole.data.slice(r * 2, r * 2 + 2) },
            1e-12,
            `sample ${i}: row ${r} depends on other rows of the batch`,
          );
        });
      }),
  }),
  property({
    title: 'forward and backward on random sizes agree with the definition',
    run: (rng) => randomPass(rng),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'a batch of a single example, forward and backward',
    run: (rng) => randomPass(rng, 1),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'accumulates parameter gradients: two backward calls give twice the gradient',
    run: (rng) => {
      const layer = new FullyConnected(4, 3, { rng });
      const x = rng.normalTensor([5, 4]);
      const g = rng.normalTensor([5, 3]);
      layer.forward(x);
      layer.backward(g);
      const once = tensorData(layer.weight.grad, 'weight.grad');
      layer.backward(g);
      return { once, twice: tensorData(layer.weight.grad, 'weight.grad') };
    },
    verify: ({ once, twice }) =>
      expectClose(
        twice,
        { shape: once.shape, data: once.data.map((v) => 2 * v) },
        1e-12,
        'weight.grad after two backward calls (use weight.accumulate, do not assign)',
      ),
  }),
  ...[
    [1, 1, 1],
    [3, 4, 2],
    [5, 2, 6],
  ].map(([batch, inputs, outputs]) =>
    gradient({
      title: `input, weight and bias match centred differences for batch ${batch}, ${inputs} → ${outputs}`,
      run: () => {
        const rng = new Rng(batch * 100 + inputs * 10 + outputs);
        return layerGradients(new FullyConnected(inputs, outputs, { rng }), rng.normalTensor([batch, inputs]));
      },
      verify: (report) => expectGradientsMatch(report, 1e-7),
    }),
  ),
  knownValue({
    title: 'reproduces the hidden-layer pre-activations of seed 000: 460–495 (z_in = (−3, 2, 0, 7))',
    // Column j of W holds (w_1j, w_2j, w_3j); x = (−3, 1, 5), b = (5, 2, −1, 1).
    run: () =>
      tensorData(
        layerWith(
          [
            [3, 11, -6, 6],
            [-9, -2, 3, -1],
            [2, 7, -4, 5],
          ],
          [5, 2, -1, 1],
        ).forward(fromArray([[-3, 1, 5]])),
        'FullyConnected.forward',
      ),
    verify: (y) => expectClose(y, [[-3, 2, 0, 7]], 0, 'seed 000: 462–495, z_in'),
  }),
  knownValue({
    title: 'reproduces the first layer of the deep example of seed 000: 741–771 (z_in¹ = (79, −70, 9, −26))',
    run: () =>
      tensorData(
        layerWith(
          [
            [13, -8, 4, -3],
            [-9, 0, -1, 12],
            [2, 3, 5, 7],
          ],
          [5, -2, 2, 11],
        ).forward(fromArray([[7, 1, -4]])),
        'FullyConnected.forward',
      ),
    verify: (y) => expectClose(y, [[79, -70, 9, -26]], 0, 'seed 000: 760–771, z_in¹'),
  }),
  knownValue({
    title: 'backward on a 1×2 → 2 example worked by hand',
    // W = [[1, 2], [3, 4]], x = [[1, −1]], E = [[1, 10]]: dx = E·Wᵀ = [[21, 43]], dW = xᵀ·E = [[1, 10], [−1, −10]], db = [1, 10].
    run: () => {
      const layer = layerWith(
        [
          [1, 2],
          [3, 4],
        ],
        [0, 0],
      );
      layer.forward(fromArray([[1, -1]]));
      const dx = tensorData(layer.backward(fromArray([[1, 10]])), 'FullyConnected.backward');
      return { dx, grads: gradientData(layer.parameters(), 'FullyConnected.backward') };
    },
    verify: ({ dx, grads }) => {
      expectClose(dx, [[21, 43]], 0, 'FullyConnected.backward: ∂L/∂x = E·Wᵀ');
      expectClose(
        grads.weight,
        [
          [1, 10],
          [-1, -10],
        ],
        0,
        'FullyConnected weight.grad: ∂L/∂W = xᵀ·E',
      );
      expectClose(grads.bias, [1, 10], 0, 'FullyConnected bias.grad: ∂L/∂b = Σ over the batch of E');
    },
  }),
  badInput({
    title: 'names the expected shape when the input has the wrong width',
    run: () => {
      const layer = new FullyConnected(4, 3, { rng: new Rng(0) });
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const shape = tensorData(layer.forward(tensor(new Array(4).fill(0), [1, 4])), 'FullyConnected.forward').shape;
      return { shape, error: thrown(() => layer.forward(tensor(new Array(10).fill(0), [2, 5]))) };
    },
    verify: ({ shape, error }) => {
      expect(shape, 'FullyConnected.forward of a [1, 4] batch').toEqual([1, 3]);
      expectError(error, ShapeError.name, 'FullyConnected.forward of a [2, 5] input', [
        'FullyConnected.forward expected input [batch, 4], got [2, 5]',
      ]);
    },
  }),
  badInput({
    title: 'rejects backward before forward, NaN input, and a gradient of the wrong shape',
    run: () => {
      const layer = new FullyConnected(2, 2, { rng: new Rng(0) });
      const early = thrown(() => layer.backward(tensor([1, 2], [1, 2])));
      const nan = thrown(() => layer.forward(tensor([1, NaN], [1, 2])));
      layer.forward(tensor([1, 2], [1, 2]));
      return { early, nan, wrongShape: thrown(() => layer.backward(tensor([1, 2, 3], [1, 3]))) };
    },
    verify: ({ early, nan, wrongShape }) => {
      expectError(early, StateError.name, 'backward before any forward');
      expectError(nan, NonFiniteError.name, 'forward of an input holding NaN');
      expectError(wrongShape, ShapeError.name, 'backward of a [1, 3] gradient for a [1, 2] output');
    },
  }),
  training({
    title: 'a single FullyConnected layer learns Iris as softmax regression (test accuracy ≥ 0.9)',
    // Only the layer is yours here: the loss and the update are test-local doubles.
    run: () =>
      trainOnIris({
        seed: 11,
        layers: (rng) => [new FullyConnected(4, 3, { rng })],
        loss: new SoftmaxCrossEntropyDouble(),
        what: 'FullyConnected.forward',
      }),
    verify: (data) =>
      verifyIrisTraining(data, {
        lossHint: 'check FullyConnected.forward and the weight/bias gradients',
        network: 'a linear classifier (your FullyConnected)',
      }),
  }),
]);
