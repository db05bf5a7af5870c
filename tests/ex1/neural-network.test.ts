import { expect } from 'vitest';
import {
  fromArray,
  loadIris,
  oneHot,
  Rng,
  ShapeError,
  standardizer,
  StateError,
  tensor,
  trainTestSplit,
  type Regularizer,
  type Tensor,
} from '../../framework/index.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import {
  accuracyOf,
  badInput,
  closeEnough,
  componentChecks,
  expectClose,
  expectError,
  fail,
  gradient,
  intIn,
  knownValue,
  labelsOf,
  numberData,
  parameterData,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { ProbabilityCrossEntropyDouble, ReluDouble, SgdDouble, SoftmaxCrossEntropyDouble } from '../helpers/doubles.js';
import { DenseDouble, denseDouble } from '../helpers/dense-double.js';
import { SoftMax as SoftMaxDouble } from '../helpers/softmax-double.js';
import {
  l2RegularizerDouble,
  linearMseStep,
  RecordingLayer,
  RecordingLinear,
  RecordingMse,
  RecordingSgd,
} from '../helpers/network-doubles.js';

/**
 * Exercise 1, NeuralNetwork: forward runs the layers in order, backward starts from loss.backward() and
 * runs them in reverse, and each fit iteration clears the gradients, computes the loss (data loss plus
 * regularization loss, computeLoss), runs backward and takes a step. The layers, losses and optimizers
 * here are test-local doubles, so that only your NeuralNetwork decides these points (the whole stack of
 * your Exercise 1 components trains in `npm run train`).
 * Handout: docs/exercises/1-feed-forward.md#neuralnetwork
 */

/** A network of test doubles only: what is tested is the container and its loop. */
function networkOfDoubles(rng: Rng, lr = 0.5, regularizer?: Regularizer): NeuralNetwork {
  const optimizer = Object.assign(new SgdDouble(lr), { regularizer });
  const network = new NeuralNetwork({ optimizer, loss: new ProbabilityCrossEntropyDouble(), rng });
  network.append(denseDouble(4, 8, rng, 'uniform'));
  network.append(new ReluDouble());
  network.append(denseDouble(8, 3, rng, 'uniform'));
  network.append(new SoftMaxDouble());
  return network;
}

/** A network with one recording linear layer, a recording MSE loss and a recording SGD, and what they recorded after `fit`. */
function recordedFit(options: {
  weight: Tensor;
  bias: Tensor;
  x: Tensor;
  y: Tensor;
  lr: number;
  iterations: number;
  batchSize: number;
  seed: number;
  regularizer?: Regularizer;
}) {
  const layer = new RecordingLinear(options.weight, options.bias);
  const loss = new RecordingMse();
  const optimizer = new RecordingSgd(options.lr, options.regularizer);
  const network = new NeuralNetwork({ optimizer, loss, rng: new Rng(options.seed) });
  network.append(layer);
  const start = parameterData(network.parameters(), 'the parameters before fit');
  const returned: unknown = network.fit({
    data: { x: options.x, y: options.y },
    iterations: options.iterations,
    batchSize: options.batchSize,
  });
  return {
    problem: Array.isArray(returned) ? null : `NeuralNetwork.fit returned ${typeof returned}, not an array of losses`,
    lr: options.lr,
    inputs: layer.inputs,
    outputs: layer.outputs,
    batchSize: options.batchSize,
    x: tensorData(options.x, 'x'),
    y: tensorData(options.y, 'y'),
    start,
    losses: Array.isArray(returned)
      ? returned.map((value, i) => numberData(value, `NeuralNetwork.fit (loss of iteration ${i})`))
      : [],
    layer: layer.records,
    loss: loss.records,
    steps: optimizer.steps,
    end: parameterData(network.parameters(), 'the parameters after fit'),
  };
}

type FitData = ReturnType<typeof recordedFit>;

/** The recorded fit, after the checks that the loop ran each part once per iteration. */
function fitData(data: FitData, iterations: number): FitData {
  if (data.problem !== null) fail(data.problem);
  if (data.losses.length !== iterations)
    fail(
      `NeuralNetwork.fit returned ${data.losses.length} losses for ${iterations} iterations; push one loss per iteration (the given code does, after your loop body)`,
    );
  if (data.layer.length !== iterations || data.loss.length !== iterations) {
    fail(
      `over ${iterations} iterations, fit called backward ${data.layer.length} times on the layer and ${data.loss.length} times on the loss; each iteration must run backward exactly once (this.backward(), which starts from this.loss.backward())`,
    );
  }
  if (data.steps.length !== iterations)
    fail(
      `over ${iterations} iterations, fit called optimizer.step ${data.steps.length} times; each iteration must take exactly one step`,
    );
  return data;
}

const close = (a: readonly number[], b: readonly number[], tolerance = 1e-10): boolean =>
  a.length === b.length && a.every((v, i) => closeEnough(v, b[i], tolerance));
const show = (values: readonly number[]): string => `(${values.map((v) => Number(v.toPrecision(6))).join(', ')})`;

/**
 * Replays fit with plain loops from what the doubles recorded: each iteration's batch must be a
 * mini-batch of the data, its reported loss the loss of that batch under the current weights (plus the
 * regularization loss R(W) = α/2·ΣW² when `alpha` is given), the step must see exactly that batch's
 * gradient, and the weights must follow w ← w − lr·g (− lr·α·w for the weight).
 */
function verifyFit(data: FitData, alpha = 0): void {
  const { inputs, outputs, lr } = data;
  let weight = data.start.weight.data;
  let bias = data.start.bias.data;
  const rows = data.x.data.length / inputs;
  data.losses.forEach((reported, i) => {
    const { x } = data.layer[i];
    const { target, value } = data.loss[i];
    const seen = data.steps[i];
    if (seen.weight.every((g) => g === 0) && seen.bias.every((g) => g === 0)) {
      fail(
        `iteration ${i}: optimizer.step saw all-zero gradients; call this.backward() before this.optimizer.step(parameters)`,
      );
    }
    const batch = x.length / inputs;
    if (batch !== data.batchSize)
      fail(
        `iteration ${i}: the layer saw a batch of ${batch} examples, expected a mini-batch of ${data.batchSize}; forward batch.x, the loader's mini-batch, not the whole data`,
      );
    for (let n = 0; n < batch; n++) {
      const row = x.slice(n * inputs, (n + 1) * inputs);
      const index = Array.from({ length: rows }, (_, r) => r).find((r) =>
        close(data.x.data.slice(r * inputs, (r + 1) * inputs), row, 0),
      );
      if (index === undefined)
        fail(`iteration ${i}: the layer saw an input row ${show(row)} that is not a row of the data`);
      if (
        !close(
          data.y.data.slice(index * outputs, (index + 1) * outputs),
          target.slice(n * outputs, (n + 1) * outputs),
          0,
        )
      ) {
        fail(
          `iteration ${i}: the loss got targets that do not belong to the batch's inputs; compute the loss of forward(batch.x) against batch.y`,
        );
      }
    }
    if (!close(data.layer[i].weight, weight) || !close(data.layer[i].bias, bias)) {
      fail(
        `iteration ${i}: the forward pass used weights ${show(data.layer[i].weight)}, expected ${show(weight)} (the weights after ${i} steps of lr ${lr}, each on its own iteration's gradient)`,
      );
    }
    const want = linearMseStep(x, target, weight, bias, inputs, outputs);
    const penalty = (alpha / 2) * weight.reduce((total, w) => total + w * w, 0);
    if (!closeEnough(value, want.loss, 1e-10))
      fail(`iteration ${i}: the data loss was ${value}, expected ${want.loss}`);
    if (!closeEnough(reported, want.loss + penalty, 1e-10)) {
      const hint = alpha
        ? `the data loss ${want.loss} plus the regularization loss ${penalty}: compute it with this.computeLoss(prediction, batch.y), not this.loss.forward`
        : `the loss of this iteration's forward pass`;
      fail(`iteration ${i}: fit reported loss ${reported}, expected ${want.loss + penalty}, ${hint}`);
    }
    if (!close(seen.weight, want.gradWeight) || !close(seen.bias, want.gradBias)) {
      const previous = i > 0 ? data.steps[i - 1].weight : undefined;
      const accumulated =
        previous !== undefined &&
        close(
          seen.weight,
          want.gradWeight.map((g, k) => g + previous[k]),
        );
      const hint = accumulated
        ? "it is this batch's gradient plus the previous ones: clear the gradients (this.optimizer.zeroGrad(parameters)) once per iteration, before backward"
        : 'each iteration: zeroGrad, forward, computeLoss, backward, then step';
      fail(
        `iteration ${i}: optimizer.step saw weight gradient ${show(seen.weight)}, expected ${show(want.gradWeight)} (this batch's gradient only); ${hint}`,
      );
    }
    weight = weight.map((w, k) => w - lr * want.gradWeight[k] - lr * alpha * w);
    bias = bias.map((b, k) => b - lr * want.gradBias[k]);
  });
  expectClose(data.end.weight, { shape: data.start.weight.shape, data: weight }, 1e-10, 'the weight after fit');
  expectClose(data.end.bias, { shape: data.start.bias.shape, data: bias }, 1e-10, 'the bias after fit');
}

export default componentChecks('ex1', 'NeuralNetwork', [
  property({
    title: 'forward runs the layers in order and backward runs them in reverse, chaining the gradient from the loss',
    run: () => {
      const log: string[] = [];
      const network = new NeuralNetwork({
        optimizer: new SgdDouble(0.1),
        loss: new RecordingMse(log),
        rng: new Rng(0),
      });
      for (const [name, factor] of [
        ['a', 2],
        ['b', -3],
        ['c', 0.5],
      ] as const)
        network.append(new RecordingLayer(name, factor, log));
      const prediction = network.forward(fromArray([[1, 2, -1]]));
      const output = tensorData(prediction, 'NeuralNetwork.forward');
      network.computeLoss(prediction, fromArray([[0, 1, 0]]));
      return { output, gradInput: tensorData(network.backward(), 'NeuralNetwork.backward'), log };
    },
    verify: ({ output, gradInput, log }) => {
      expect(
        log,
        'NeuralNetwork.forward must call forward on each layer once, in order; backward must call loss.backward(), then backward on each layer in reverse order',
      ).toEqual([
        'a.forward(training=true)',
        'b.forward(training=true)',
        'c.forward(training=true)',
        'loss.forward',
        'loss.backward',
        'c.backward',
        'b.backward',
        'a.backward',
      ]);
      // The layers multiply by 2, −3 and 0.5: y = −3·x = (−3, −6, 3). The MSE gradient 2(y − t) = (−6, −14, 6) goes back through ×0.5, ×−3, ×2.
      expectClose(
        output,
        [[-3, -6, 3]],
        0,
        "NeuralNetwork.forward through layers ×2, ×−3, ×0.5: each layer gets the previous one's output",
      );
      expectClose(
        gradInput,
        [[18, 42, -18]],
        0,
        "NeuralNetwork.backward must pass each layer's returned gradient to the layer before it and return the last one (∂L/∂input)",
      );
    },
  }),
  property({
    title:
      'train() and eval() set the phase of every layer; predict() runs all layers in eval mode and restores training',
    run: (rng) => {
      const log: string[] = [];
      const factors = [rng.uniformIn(-2, 2), rng.uniformIn(-2, 2), rng.uniformIn(-2, 2)];
      const network = new NeuralNetwork({ optimizer: new SgdDouble(0.1), loss: new RecordingMse(), rng: new Rng(1) });
      ['a', 'b', 'c'].forEach((name, i) => {
        network.append(new RecordingLayer(name, factors[i], log));
      });
      network.eval();
      const afterEval = network.layers.map((l) => l.training);
      network.train();
      const x = rng.normalTensor([2, 3]);
      const output = tensorData(network.predict(x), 'NeuralNetwork.predict');
      return {
        factors,
        x: tensorData(x, 'x'),
        output,
        log,
        afterEval,
        afterPredict: network.layers.map((l) => l.training),
      };
    },
    verify: ({ factors, x, output, log, afterEval, afterPredict }) => {
      expect(afterEval, 'eval() must set training = false on every layer').toEqual([false, false, false]);
      expect(log, 'predict() must run forward through every layer once, in order, with training = false').toEqual([
        'a.forward(training=false)',
        'b.forward(training=false)',
        'c.forward(training=false)',
      ]);
      const product = factors.reduce((a, b) => a * b, 1);
      expectClose(
        output,
        { shape: x.shape, data: x.data.map((v) => v * product) },
        1e-12,
        'NeuralNetwork.predict through three scaling layers',
      );
      expect(afterPredict, 'predict() must restore the training phase').toEqual([true, true, true]);
    },
    hiddenRerun: true,
  }),
  property({
    title: 'fit returns one loss per iteration, and the same seed gives the same losses',
    run: () => {
      const iris = loadIris();
      const data = { x: standardizer(iris.x)(iris.x), y: iris.y };
      const losses = (network: NeuralNetwork) =>
        Array.from(network.fit({ data, iterations: 20, batchSize: 30 }), (v, i) =>
          numberData(v, `NeuralNetwork.fit (loss ${i})`),
        );
      return { first: losses(networkOfDoubles(new Rng(5))), second: losses(networkOfDoubles(new Rng(5))) };
    },
    verify: ({ first, second }) => {
      expect(first.length, 'NeuralNetwork.fit must return one loss per iteration (20)').toBe(20);
      expect(
        first.every((v) => Number.isFinite(v)),
        'every loss returned by fit must be a finite number',
      ).toBe(true);
      expect(second, 'training must be deterministic for a fixed seed').toEqual(first);
    },
  }),
  property({
    title:
      "each fit iteration trains on one mini-batch: the step sees only that batch's gradient, and the weights follow SGD",
    run: (rng) => {
      const inputs = intIn(rng, 1, 4);
      const outputs = intIn(rng, 1, 3);
      const batchSize = intIn(rng, 2, 4);
      const examples = batchSize * intIn(rng, 2, 3);
      return recordedFit({
        weight: rng.normalTensor([inputs, outputs]),
        bias: rng.normalTensor([outputs]),
        x: rng.normalTensor([examples, inputs]),
        y: rng.normalTensor([examples, outputs]),
        lr: 0.05,
        iterations: 8,
        batchSize,
        seed: rng.nextUint32(),
      });
    },
    verify: (data) => verifyFit(fitData(data, 8)),
    hiddenRerun: true,
  }),
  property({
    title: 'saving and loading weights (toJSON/fromJSON) reproduces the predictions exactly',
    run: () => {
      const x = fromArray([[0.1, -0.2, 0.3, 0.4]]);
      const trained = networkOfDoubles(new Rng(2));
      const copy = networkOfDoubles(new Rng(99));
      const before = tensorData(copy.predict(x), 'NeuralNetwork.predict');
      copy.fromJSON(JSON.parse(JSON.stringify(trained.toJSON())));
      return {
        before,
        original: tensorData(trained.predict(x), 'NeuralNetwork.predict'),
        copy: tensorData(copy.predict(x), 'NeuralNetwork.predict'),
      };
    },
    verify: ({ before, original, copy }) => {
      expect(before.data, 'two networks of different seeds should predict differently before loading').not.toEqual(
        original.data,
      );
      expectClose(copy, original, 0, 'the predictions of a network after fromJSON(toJSON()) of another');
    },
  }),
  gradient({
    title: 'backward returns ∂L/∂input consistent with centred differences of forward + loss',
    run: () => {
      const rng = new Rng(3);
      const network = networkOfDoubles(rng);
      const x = rng.normalTensor([2, 4]);
      const y = fromArray([
        [1, 0, 0],
        [0, 0, 1],
      ]);
      network.computeLoss(network.forward(x), y);
      const analytic = tensorData(network.backward(), 'NeuralNetwork.backward');
      const h = 1e-6;
      const numeric: number[] = [];
      for (let i = 0; i < x.size; i++) {
        const original = x.data[i];
        x.data[i] = original + h;
        const plus = network.computeLoss(network.forward(x), y);
        x.data[i] = original - h;
        const minus = network.computeLoss(network.forward(x), y);
        x.data[i] = original;
        numeric.push((plus - minus) / (2 * h));
      }
      return { analytic, numeric };
    },
    verify: ({ analytic, numeric }) =>
      expectClose(
        analytic,
        { shape: [2, 4], data: numeric },
        1e-6,
        "NeuralNetwork.backward against centred differences of computeLoss(forward(x)): it must return the gradient after the first layer's backward, not the loss gradient",
      ),
  }),
  knownValue({
    title: 'reproduces f_in = (3, −1, 1) and the softmax of the deep example of seed 000: 741–876',
    run: () => {
      const network = new NeuralNetwork({
        optimizer: new SgdDouble(0.1),
        loss: new ProbabilityCrossEntropyDouble(),
        rng: new Rng(0),
      });
      const linear = (w: number[][], b: number[]): DenseDouble => new DenseDouble(fromArray(w), fromArray(b));
      // The seed prints Wᵀ; the kit's W [in, out] is its transpose.
      network.append(
        linear(
          [
            [13, -8, 4, -3],
            [-9, 0, -1, 12],
            [2, 3, 5, 7],
          ],
          [5, -2, 2, 11],
        ),
      );
      network.append(new ReluDouble());
      network.append(
        linear(
          [
            [1, 0, -1, 0],
            [0, 11, 5, -9],
            [-4, 2, -2, -3],
            [1, -14, 16, 4],
          ],
          [-5, 3, 1, -8],
        ),
      );
      network.append(new ReluDouble());
      network.append(
        linear(
          [
            [1, 3, -2, 2],
            [-2, -4, 1, -2],
            [-18, 8, 21, 11],
            [-7, 0, 5, -13],
          ],
          [4, -6, 1, -17],
        ),
      );
      network.append(new ReluDouble());
      network.append(
        linear(
          [
            [9, -8, 13],
            [3, -2, 2],
            [-1, 14, -9],
            [-4, 3, -1],
          ],
          [-1, -4, -30],
        ),
      );
      const logits = tensorData(network.forward(fromArray([[7, 1, -4]])), 'NeuralNetwork.forward');
      network.append(new SoftMaxDouble());
      return { logits, probabilities: tensorData(network.forward(fromArray([[7, 1, -4]])), 'NeuralNetwork.forward') };
    },
    verify: ({ logits, probabilities }) => {
      expectClose(logits, [[3, -1, 1]], 1e-12, 'seed 000: 864–865, f_in');
      expectClose(probabilities, [[0.866813, 0.015876, 0.11731]], 1e-5, 'seed 000: 876');
    },
  }),
  knownValue({
    title:
      'fit on a full batch of 4 is gradient descent: five iterations of lr 0.1 on a linear layer with the squared error, worked out by hand',
    run: () =>
      recordedFit({
        weight: tensor([0.5, -0.5], [2, 1]),
        bias: tensor([0], [1]),
        x: tensor([1, 2, 2, 0, -1, 1, 0, -2], [4, 2]),
        y: tensor([1, 2, 0, -1], [4, 1]),
        lr: 0.1,
        iterations: 5,
        batchSize: 4,
        seed: 7,
      }),
    verify: (recorded) => {
      const data = fitData(recorded, 5);
      // L = Σ (x·W + b − y)² / 4, W ← W − 0.1·xᵀ·2(ŷ − y)/4, b ← b − 0.1·Σ 2(ŷ − y)/4, from W = (0.5, −0.5), b = 0.
      const losses = [2.0625, 0.6884374999999999, 0.32009375, 0.21915392578124998, 0.19022680370117184];
      verifyFit(data);
      expectClose({ shape: [5], data: data.losses }, losses, 1e-12, 'the five losses returned by NeuralNetwork.fit');
      expectClose(data.end.weight, [[0.7350146875], [0.3127053125]], 1e-12, 'the weight after five iterations of fit');
      expectClose(data.end.bias, [0.09637156250000001], 1e-12, 'the bias after five iterations of fit');
    },
  }),
  knownValue({
    title: 'fit reports the data loss plus the regularization loss of the weights it trained with (computeLoss)',
    run: (rng) =>
      recordedFit({
        weight: rng.normalTensor([3, 2]),
        bias: rng.normalTensor([2]),
        x: rng.normalTensor([6, 3]),
        y: rng.normalTensor([6, 2]),
        lr: 0.05,
        iterations: 4,
        batchSize: 3,
        seed: 11,
        regularizer: l2RegularizerDouble(0.3),
      }),
    // R(W) = 0.3/2 · Σ W² over the weight only (the bias is never regularized).
    verify: (recorded) => verifyFit(fitData(recorded, 4), 0.3),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'adds the regularization loss Σ norm(w) over weights only',
    run: () => {
      const norm: Regularizer = { name: 'CountDouble', gradient: (w) => w, norm: (w) => w.size };
      const network = networkOfDoubles(new Rng(0), 0.1, norm);
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const shape = tensorData(network.forward(fromArray([[1, 1, 1, 1]])), 'NeuralNetwork.forward').shape;
      return { shape, regularization: numberData(network.regularizationLoss(), 'NeuralNetwork.regularizationLoss') };
    },
    verify: ({ shape, regularization }) => {
      expect(shape, 'NeuralNetwork.forward of a [1, 4] batch through 4 → 8 → 3').toEqual([1, 3]);
      // Weights 4×8 and 8×3 count; the two biases do not.
      expect(regularization, 'regularizationLoss with a norm that counts the elements: 32 + 24').toBe(32 + 24);
    },
  }),
  badInput({
    title: 'rejects backward before forward and data whose targets do not match the inputs',
    run: () => {
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const shape = tensorData(
        networkOfDoubles(new Rng(0)).forward(fromArray([[1, 1, 1, 1]])),
        'NeuralNetwork.forward',
      ).shape;
      const network = networkOfDoubles(new Rng(0));
      return {
        shape,
        early: thrown(() => network.backward()),
        mismatch: thrown(() =>
          network.fit({
            data: {
              x: tensor([1, 2, 3, 4], [1, 4]),
              y: fromArray([
                [1, 0, 0],
                [0, 1, 0],
              ]),
            },
            iterations: 1,
            batchSize: 1,
          }),
        ),
      };
    },
    verify: ({ shape, early, mismatch }) => {
      expect(shape, 'NeuralNetwork.forward of a [1, 4] batch').toEqual([1, 3]);
      expectError(early, StateError.name, 'NeuralNetwork.backward before any forward');
      expectError(mismatch, ShapeError.name, 'NeuralNetwork.fit with 1 input and 2 targets', [
        'same number of examples',
      ]);
    },
  }),
  badInput({
    title: 'rejects weights saved from another architecture and leaves the network unchanged',
    run: () => {
      const network = networkOfDoubles(new Rng(0));
      const before = tensorData(network.predict(fromArray([[1, 1, 1, 1]])), 'NeuralNetwork.predict');
      const saved = network.toJSON() as { layers: { parameters: Record<string, { shape: number[] }> }[] };
      saved.layers[2].parameters.weight.shape = [3, 8];
      const error = thrown(() => network.fromJSON(saved));
      return { before, error, after: tensorData(network.predict(fromArray([[1, 1, 1, 1]])), 'NeuralNetwork.predict') };
    },
    verify: ({ before, error, after }) => {
      if (error === null) fail('fromJSON of weights with a [3, 8] weight for an [8, 3] layer returned normally');
      expect(error.message, 'the error names the parameter and both shapes').toMatch(
        /'weight' is \[3, 8\] in the file but \[8, 3\] in the network/,
      );
      expectClose(after, before, 0, 'the predictions after a refused fromJSON');
    },
  }),
  training({
    title: 'with test-double layers, fit() reaches ≥ 0.95 test accuracy on Iris',
    run: () => {
      const rng = new Rng(6);
      const { train, test } = trainTestSplit(loadIris(), { rng });
      const normalize = standardizer(train.x);
      const network = networkOfDoubles(rng, 0.1);
      const losses = Array.from(
        network.fit({ data: { x: normalize(train.x), y: train.y }, iterations: 600, batchSize: 33 }),
        (v) => numberData(v, 'NeuralNetwork.fit'),
      );
      return {
        first: losses[0],
        last: losses.at(-1)!,
        scores: tensorData(network.predict(normalize(test.x)), 'NeuralNetwork.predict'),
        labels: labelsOf(test.y),
      };
    },
    verify: ({ first, last, scores, labels }) => {
      expect(
        last,
        'the loss returned by fit should fall; check the order zeroGrad, forward, computeLoss, backward, step',
      ).toBeLessThan(first / 2);
      expect(
        accuracyOf(scores, labels),
        'Iris test accuracy of a network of test doubles trained by your fit',
      ).toBeGreaterThanOrEqual(0.95);
    },
    matchReference: false,
  }),
  training({
    title: 'fit trains a linear classifier (test doubles) on two separable blobs to ≥ 0.9 accuracy',
    run: (rng) => {
      const points = 40;
      const features: number[] = [];
      const labels: number[] = [];
      for (let i = 0; i < points; i++) {
        const label = i % 2;
        features.push((label ? 2 : -2) + 0.7 * rng.normal(), (label ? -1.5 : 1.5) + 0.7 * rng.normal());
        labels.push(label);
      }
      const x = tensor(features, [points, 2]);
      const network = new NeuralNetwork({
        loss: new SoftmaxCrossEntropyDouble(),
        optimizer: new SgdDouble(0.5),
        rng: new Rng(rng.nextUint32()),
      });
      const layer = new RecordingLinear(tensor([0.01, -0.02, 0.03, 0.01], [2, 2]), tensor([0, 0], [2]));
      network.append(layer);
      const before = tensorData(network.predict(x), 'NeuralNetwork.predict');
      network.fit({ data: { x, y: oneHot(labels, 2) }, iterations: 30, batchSize: 10 });
      return { before, scores: tensorData(network.predict(x), 'NeuralNetwork.predict'), labels };
    },
    verify: ({ before, scores, labels }: { before: TensorData; scores: TensorData; labels: number[] }) => {
      expect(
        accuracyOf(before, labels),
        'the untrained classifier should be near chance (the check must be unearnable without training)',
      ).toBeLessThan(0.9);
      expect(
        accuracyOf(scores, labels),
        'accuracy on two separable blobs after 30 iterations of your fit',
      ).toBeGreaterThanOrEqual(0.9);
    },
    hiddenRerun: true,
    matchReference: false,
  }),
]);
