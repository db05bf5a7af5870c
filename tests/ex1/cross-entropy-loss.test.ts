import fc from 'fast-check';
import { expect } from 'vitest';
import {
  fromArray,
  oneHot,
  Rng,
  ShapeError,
  StateError,
  tensor,
  NonFiniteError,
  type Tensor,
} from '../../framework/index.js';
import { CrossEntropyLoss } from '#impl/losses/cross-entropy-loss.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectFinite,
  expectGradientsMatch,
  gradient,
  intIn,
  knownValue,
  lossGradients,
  numberData,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { trainOnIris, verifyIrisTraining } from '../helpers/iris-training.js';
import { denseDouble } from '../helpers/dense-double.js';
import { SoftMax as SoftMaxDouble } from '../helpers/softmax-double.js';

/**
 * Exercise 1, CrossEntropyLoss on probabilities with one-hot targets:
 *   L = factor · (−Σ y · log(ŷ + ε)),  ∂L/∂ŷ = factor · (−y / (ŷ + ε)),  factor = 1/batch ('mean') or 1 ('sum'),
 *   ε = Number.EPSILON. Handout: docs/exercises/1-feed-forward.md#crossentropyloss
 */
const EPSILON = Number.EPSILON;

/**
 * Random probability rows [batch, classes] and one-hot targets. With `zeroChance`, a row's true class
 * gets probability exactly 0 (the case the ε is for), and another class may too.
 */
function probabilities(rng: Rng, batch: number, classes: number, zeroChance = 0): { p: Tensor; y: Tensor } {
  const labels = Array.from({ length: batch }, () => rng.int(classes));
  const rows = labels.map((label) => {
    const raw = Array.from({ length: classes }, () => rng.uniformIn(0.05, 1));
    if (rng.uniform() < zeroChance) raw[label] = 0;
    if (rng.uniform() < zeroChance) raw[(label + 1) % classes] = 0;
    if (raw.every((v) => v <= 0)) raw[(label + 1) % classes] = 1;
    const total = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => v / total);
  });
  return { p: fromArray(rows), y: oneHot(labels, classes) };
}

/** The loss and its gradient from the handout's formulas, with plain loops. */
function definition(p: TensorData, y: TensorData, reduction: 'mean' | 'sum'): { loss: number; grad: TensorData } {
  const factor = reduction === 'mean' ? 1 / p.shape[0] : 1;
  let loss = 0;
  const grad = p.data.map((v, i) => {
    if (y.data[i] !== 0) loss -= y.data[i] * Math.log(v + EPSILON);
    return factor * (-y.data[i] / (v + EPSILON));
  });
  return { loss: loss * factor, grad: { shape: p.shape, data: grad } };
}

/** forward and backward of a fresh loss, as data. */
function pass(p: Tensor, y: Tensor, reduction: 'mean' | 'sum' = 'mean') {
  const loss = new CrossEntropyLoss({ reduction });
  const value = numberData(loss.forward(p, y), 'CrossEntropyLoss.forward');
  return { loss: value, grad: tensorData(loss.backward(), 'CrossEntropyLoss.backward') };
}

export default componentChecks('ex1', 'CrossEntropyLoss', [
  property({
    title: 'is non-negative, zero for a perfect prediction, and the mean is the sum divided by the batch',
    run: (rng) =>
      drawSamples(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 5 }), fc.integer()), rng, 40).map(
        ([batch, classes, seed]) => {
          const { p, y } = probabilities(new Rng(seed), batch, classes);
          return {
            batch,
            mean: numberData(new CrossEntropyLoss().forward(p, y), 'CrossEntropyLoss.forward'),
            total: numberData(new CrossEntropyLoss({ reduction: 'sum' }).forward(p, y), 'CrossEntropyLoss.forward'),
            perfect: numberData(new CrossEntropyLoss().forward(y, y), 'CrossEntropyLoss.forward'),
          };
        },
      ),
    verify: (samples) =>
      samples.forEach(({ batch, mean, total, perfect }, s) => {
        expect(
          mean,
          `sample ${s}: the cross-entropy of probabilities must be ≥ 0 (L = −Σ y·log(ŷ + ε))`,
        ).toBeGreaterThanOrEqual(0);
        expect(
          Math.abs(mean * batch - total),
          `sample ${s}: reduction 'mean' (${mean}) must be the 'sum' (${total}) divided by the batch size ${batch}`,
        ).toBeLessThan(1e-9);
        expect(
          Math.abs(perfect),
          `sample ${s}: a perfect one-hot prediction must have (almost) zero loss`,
        ).toBeLessThan(1e-12);
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on random probabilities, some exactly 0, agree with the formulas for both reductions',
    run: (rng) => {
      const { p, y } = probabilities(rng, intIn(rng, 1, 6), intIn(rng, 2, 5), 0.3);
      return { p: tensorData(p, 'ŷ'), y: tensorData(y, 'y'), mean: pass(p, y, 'mean'), sum: pass(p, y, 'sum') };
    },
    verify: ({ p, y, mean, sum }) => {
      for (const [reduction, got] of [
        ['mean', mean],
        ['sum', sum],
      ] as const) {
        const want = definition(p, y, reduction);
        expectFinite(got.loss, `CrossEntropyLoss.forward ('${reduction}')`);
        expectFinite(
          got.grad,
          `CrossEntropyLoss.backward ('${reduction}'): a probability of 0 needs the ε in −y / (ŷ + ε)`,
        );
        expectClose(
          got.loss,
          want.loss,
          1e-12,
          `CrossEntropyLoss.forward ('${reduction}'): factor · (−Σ y·log(ŷ + ε)), factor = ${reduction === 'mean' ? '1/batch' : '1'}`,
        );
        expectClose(
          got.grad,
          want.grad,
          1e-12,
          `CrossEntropyLoss.backward ('${reduction}'): factor · (−y / (ŷ + ε)), factor = ${reduction === 'mean' ? '1/batch' : '1'}`,
        );
      }
    },
    hiddenRerun: true,
  }),
  ...(['mean', 'sum'] as const).map((reduction) =>
    gradient({
      title: `∂L/∂prediction matches centred differences (reduction '${reduction}')`,
      run: () => {
        const { p, y } = probabilities(new Rng(9), 4, 3);
        return lossGradients(new CrossEntropyLoss({ reduction }), p, y);
      },
      verify: (report) => expectGradientsMatch(report, 1e-6),
    }),
  ),
  knownValue({
    title: '−log(0.7) for prediction (0.7, 0.2, 0.1) of class 0, and the mean over a batch with its gradient',
    run: () => {
      const single = numberData(
        new CrossEntropyLoss().forward(fromArray([[0.7, 0.2, 0.1]]), fromArray([[1, 0, 0]])),
        'CrossEntropyLoss.forward',
      );
      return {
        single,
        batch: pass(
          fromArray([
            [0.7, 0.2, 0.1],
            [0.25, 0.5, 0.25],
          ]),
          fromArray([
            [1, 0, 0],
            [0, 1, 0],
          ]),
        ),
      };
    },
    verify: ({ single, batch }) => {
      expectClose(single, -Math.log(0.7), 1e-12, 'CrossEntropyLoss.forward of ŷ = (0.7, 0.2, 0.1), class 0');
      expectClose(
        batch.loss,
        (-Math.log(0.7) - Math.log(0.5)) / 2,
        1e-12,
        'CrossEntropyLoss.forward of a batch of 2: the mean of −log(0.7) and −log(0.5)',
      );
      expectClose(
        batch.grad,
        [
          [-1 / 0.7 / 2, 0, 0],
          [0, -1 / 0.5 / 2, 0],
        ],
        1e-12,
        'CrossEntropyLoss.backward = −y / (ŷ + ε), divided by the batch size',
      );
    },
  }),
  knownValue({
    title:
      "a batch of 2 × 3 in both reductions: 'mean' divides loss and gradient by the batch (2), not by the 6 entries; 'sum' does not divide",
    run: () => {
      const p = () => tensor([0.7, 0.2, 0.1, 0.1, 0.3, 0.6], [2, 3]);
      const y = () => tensor([1, 0, 0, 0, 0, 1], [2, 3]);
      return { mean: pass(p(), y(), 'mean'), sum: pass(p(), y(), 'sum') };
    },
    verify: ({ mean, sum }) => {
      const total = -Math.log(0.7) - Math.log(0.6);
      expectClose(mean.loss, total / 2, 1e-12, "CrossEntropyLoss.forward, reduction 'mean': (−log 0.7 − log 0.6) / 2");
      expectClose(
        mean.grad,
        [
          [-1 / 0.7 / 2, 0, 0],
          [0, 0, -1 / 0.6 / 2],
        ],
        1e-12,
        "CrossEntropyLoss.backward, reduction 'mean': −y / (ŷ + ε) / 2",
      );
      expectClose(sum.loss, total, 1e-12, "CrossEntropyLoss.forward, reduction 'sum': −log 0.7 − log 0.6");
      expectClose(
        sum.grad,
        [
          [-1 / 0.7, 0, 0],
          [0, 0, -1 / 0.6],
        ],
        1e-12,
        "CrossEntropyLoss.backward, reduction 'sum': −y / (ŷ + ε)",
      );
    },
  }),
  knownValue({
    title:
      'stays finite when the true class gets probability 0: loss −log ε ≈ 36.04 and gradient −1/ε (the ε inside the log and the division)',
    run: () => ({
      single: pass(fromArray([[0, 1]]), fromArray([[1, 0]])),
      // Row 0: the true class has ŷ = 0 and class 2 has ŷ = 0 and y = 0 (−0/0 would be NaN). Row 1: an ordinary row.
      batch: pass(
        fromArray([
          [0, 1, 0],
          [0.5, 0.5, 0],
        ]),
        fromArray([
          [1, 0, 0],
          [0, 1, 0],
        ]),
      ),
    }),
    verify: ({ single, batch }) => {
      const where = 'ε = Number.EPSILON inside the log, log(ŷ + ε), and inside the division, −y / (ŷ + ε)';
      expectFinite(single.loss, `CrossEntropyLoss.forward of ŷ = (0, 1) for class 0: ${where}`);
      expectFinite(single.grad, `CrossEntropyLoss.backward at ŷ = 0: ${where}`);
      expectFinite(
        batch.grad,
        `CrossEntropyLoss.backward of a row with ŷ = 0 where y = 0 (0/0 without the ε): ${where}`,
      );
      expectClose(
        single.loss,
        -Math.log(EPSILON),
        1e-9,
        `CrossEntropyLoss.forward of ŷ = (0, 1) for class 0: −log(0 + ε); ${where}`,
      );
      expectClose(
        single.grad,
        [[-1 / EPSILON, 0]],
        1e-9,
        `CrossEntropyLoss.backward at ŷ = (0, 1) for class 0: −1 / (0 + ε); ${where}`,
      );
      expectClose(
        batch.loss,
        (-Math.log(EPSILON) - Math.log(0.5 + EPSILON)) / 2,
        1e-9,
        'CrossEntropyLoss.forward of a batch of 2 with a zero probability',
      );
      expectClose(
        batch.grad,
        [
          [-1 / EPSILON / 2, 0, 0],
          [0, -1 / (0.5 + EPSILON) / 2, 0],
        ],
        1e-9,
        'CrossEntropyLoss.backward of a batch of 2 with zero probabilities',
      );
    },
  }),
  badInput({
    title: 'rejects a label count that does not match the batch, NaN, and backward before forward',
    run: () => {
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const valid = numberData(
        new CrossEntropyLoss().forward(fromArray([[0.25, 0.75]]), fromArray([[0, 1]])),
        'CrossEntropyLoss.forward',
      );
      return {
        valid,
        count: thrown(() =>
          new CrossEntropyLoss().forward(
            fromArray([[0.5, 0.5]]),
            fromArray([
              [1, 0],
              [0, 1],
            ]),
          ),
        ),
        nan: thrown(() => new CrossEntropyLoss().forward(tensor([NaN, 1], [1, 2]), fromArray([[1, 0]]))),
        early: thrown(() => new CrossEntropyLoss().backward()),
      };
    },
    verify: ({ valid, count, nan, early }) => {
      expectClose(valid, -Math.log(0.75), 1e-12, 'CrossEntropyLoss.forward of ŷ = (0.25, 0.75), class 1');
      expectError(count, ShapeError.name, 'CrossEntropyLoss.forward of 2 targets for a batch of 1', [
        'CrossEntropyLoss.forward expected prediction and target of the same shape, got [1, 2] and [2, 2]: 2 targets for a batch of 1',
      ]);
      expectError(nan, NonFiniteError.name, 'CrossEntropyLoss.forward of a prediction holding NaN');
      expectError(early, StateError.name, 'CrossEntropyLoss.backward before any forward');
    },
  }),
  training({
    title: 'drives a linear layer + SoftMax (test doubles) to ≥ 0.9 test accuracy on Iris',
    // The layers and the update are test-local doubles: only the loss is yours.
    run: () =>
      trainOnIris({
        seed: 8,
        layers: (rng) => [denseDouble(4, 3, rng, 'uniform'), new SoftMaxDouble()],
        loss: new CrossEntropyLoss(),
        what: 'the test doubles',
      }),
    verify: (data) =>
      verifyIrisTraining(data, {
        lossHint: 'check CrossEntropyLoss.backward',
        network: 'a linear layer + SoftMax trained with your loss',
      }),
    matchReference: false,
  }),
]);
