import fc from 'fast-check';
import { fromArray, oneHot, Rng, ShapeError, StateError, tensor, type Tensor } from '../../framework/index.js';
import { SoftmaxCrossEntropyLoss } from '#impl/losses/softmax-cross-entropy-loss.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectFinite,
  expectGradientsMatch,
  fail,
  gradient,
  intIn,
  knownValue,
  lossGradients,
  matrix,
  numberData,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { trainOnIris, verifyIrisTraining } from '../helpers/iris-training.js';
import { denseDouble } from '../helpers/dense-double.js';

/**
 * Exercise 1, SoftmaxCrossEntropyLoss on logits z with one-hot targets y:
 *   log ŷ = z − m − log Σ exp(z − m) (stable), L = factor · (−Σ y·log ŷ), ∂L/∂z = factor · (ŷ − y).
 * Handout: docs/exercises/1-feed-forward.md#softmaxcrossentropyloss
 */

/** The loss and gradient from the handout's formulas, row by row with plain loops. */
function definition(z: TensorData, y: TensorData, reduction: 'mean' | 'sum'): { loss: number; grad: TensorData } {
  const classes = z.shape[z.shape.length - 1];
  const factor = reduction === 'mean' ? 1 / z.shape[0] : 1;
  const grad = new Array<number>(z.data.length).fill(0);
  let loss = 0;
  for (let row = 0; row < z.data.length; row += classes) {
    let largest = -Infinity;
    for (let k = 0; k < classes; k++) largest = Math.max(largest, z.data[row + k]);
    let total = 0;
    for (let k = 0; k < classes; k++) total += Math.exp(z.data[row + k] - largest);
    for (let k = 0; k < classes; k++) {
      const logP = z.data[row + k] - largest - Math.log(total);
      loss -= y.data[row + k] * logP;
      grad[row + k] = factor * (Math.exp(logP) - y.data[row + k]);
    }
  }
  return { loss: loss * factor, grad: { shape: z.shape, data: grad } };
}

/** forward and backward of a fresh loss, as data. */
function pass(z: Tensor, y: Tensor, reduction: 'mean' | 'sum' = 'mean') {
  const loss = new SoftmaxCrossEntropyLoss({ reduction });
  const value = numberData(loss.forward(z, y), 'SoftmaxCrossEntropyLoss.forward');
  return { loss: value, grad: tensorData(loss.backward(), 'SoftmaxCrossEntropyLoss.backward') };
}

/** Random one-hot targets for a batch. */
const randomTargets = (rng: Rng, batch: number, classes: number): Tensor =>
  oneHot(
    Array.from({ length: batch }, () => rng.int(classes)),
    classes,
  );

function verifyAgainstDefinition(
  z: TensorData,
  y: TensorData,
  got: { loss: number; grad: TensorData },
  reduction: 'mean' | 'sum',
  tolerance: number,
  what: string,
): void {
  const want = definition(z, y, reduction);
  const factor = reduction === 'mean' ? '1/batch' : '1';
  expectFinite(
    got.loss,
    `SoftmaxCrossEntropyLoss.forward (${what}): use the stable log-softmax z − m − log Σ exp(z − m), never log(softmax(z))`,
  );
  expectFinite(got.grad, `SoftmaxCrossEntropyLoss.backward (${what})`);
  expectClose(
    got.loss,
    want.loss,
    tolerance,
    `SoftmaxCrossEntropyLoss.forward ('${reduction}', ${what}): factor · (−Σ y·log ŷ), factor = ${factor}`,
  );
  expectClose(
    got.grad,
    want.grad,
    tolerance,
    `SoftmaxCrossEntropyLoss.backward ('${reduction}', ${what}): factor · (ŷ − y), factor = ${factor}`,
  );
}

export default componentChecks('ex1', 'SoftmaxCrossEntropyLoss', [
  property({
    title: 'is shift-invariant in the logits and finite even for logits of ±1000',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          matrix(fc.integer({ min: 1, max: 4 }), fc.constant(3), 1000),
          fc.double({ min: -500, max: 500, noNaN: true }),
        ),
        rng,
        40,
      ).map(([rows, shift]) => {
        const y = oneHot(
          rows.map((_, i) => i % 3),
          3,
        );
        return {
          shift,
          base: numberData(
            new SoftmaxCrossEntropyLoss().forward(fromArray(rows), y),
            'SoftmaxCrossEntropyLoss.forward',
          ),
          shifted: numberData(
            new SoftmaxCrossEntropyLoss().forward(fromArray(rows.map((r) => r.map((v) => v + shift))), y),
            'SoftmaxCrossEntropyLoss.forward',
          ),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ shift, base, shifted }, s) => {
        expectFinite(
          base,
          `sample ${s}: SoftmaxCrossEntropyLoss.forward must stay finite for logits up to ±1000: use a stable log-softmax (subtract the row maximum)`,
        );
        if (!(Math.abs(base - shifted) < 1e-6 * (1 + Math.abs(base)))) {
          fail(
            `sample ${s}: adding ${shift} to every logit of a row changed the loss from ${base} to ${shifted}; the softmax does not change, so the loss must not`,
          );
        }
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'the gradient rows sum to zero (ŷ − y, both distributions)',
    run: (rng) =>
      drawSamples(matrix(fc.integer({ min: 1, max: 5 }), fc.constant(4)), rng, 40).map((rows) => {
        const loss = new SoftmaxCrossEntropyLoss();
        loss.forward(
          fromArray(rows),
          oneHot(
            rows.map((_, i) => (i * 3) % 4),
            4,
          ),
        );
        return tensorData(loss.backward(), 'SoftmaxCrossEntropyLoss.backward');
      }),
    verify: (samples) =>
      samples.forEach((g, s) => {
        for (let r = 0; r < g.data.length / 4; r++) {
          const total = g.data.slice(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0);
          if (!(Math.abs(total) < 1e-12))
            fail(
              `sample ${s}: SoftmaxCrossEntropyLoss.backward row ${r} sums to ${total}, not 0; ∂L/∂z = factor · (ŷ − y) with ŷ the softmax of the row`,
            );
        }
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'forward and backward on random logits of random size agree with the formulas for both reductions',
    run: (rng) => {
      const batch = intIn(rng, 1, 6);
      const classes = intIn(rng, 2, 6);
      const z = rng.normalTensor([batch, classes], 0, 4);
      const y = randomTargets(rng, batch, classes);
      return { z: tensorData(z, 'z'), y: tensorData(y, 'y'), mean: pass(z, y, 'mean'), sum: pass(z, y, 'sum') };
    },
    verify: ({ z, y, mean, sum }) => {
      verifyAgainstDefinition(z, y, mean, 'mean', 1e-12, 'random logits');
      verifyAgainstDefinition(z, y, sum, 'sum', 1e-12, 'random logits');
    },
    hiddenRerun: true,
  }),
  property({
    title: 'rows of logits that are all very large or all very negative give the exact finite loss and gradient',
    run: (rng) => {
      const classes = intIn(rng, 2, 5);
      // exp underflows to 0 for every logit near −1000 and overflows to ∞ near 1000: only the max shift survives both.
      const negative = rng.uniformTensor([2, classes], -1010, -1000);
      const positive = rng.uniformTensor([2, classes], 1000, 1010);
      const z = tensor([...negative.data, ...positive.data], [4, classes]);
      const y = randomTargets(rng, 4, classes);
      return { z: tensorData(z, 'z'), y: tensorData(y, 'y'), mean: pass(z, y, 'mean') };
    },
    verify: ({ z, y, mean }) => verifyAgainstDefinition(z, y, mean, 'mean', 1e-9, 'logits near ±1000'),
    hiddenRerun: true,
  }),
  ...(['mean', 'sum'] as const).map((reduction) =>
    gradient({
      title: `∂L/∂logits matches centred differences (reduction '${reduction}')`,
      run: () => {
        const rng = new Rng(13);
        return lossGradients(
          new SoftmaxCrossEntropyLoss({ reduction }),
          rng.normalTensor([5, 4], 0, 3),
          oneHot([0, 3, 1, 1, 2], 4),
        );
      },
      verify: (report) => expectGradientsMatch(report, 1e-6),
    }),
  ),
  knownValue({
    title: 'on the logits of seed 000: 864–876, f_in = (3, −1, 1), class 0: L = −log 0.866813, ∂L/∂z = ŷ − y',
    run: () => pass(fromArray([[3, -1, 1]]), fromArray([[1, 0, 0]])),
    verify: ({ loss, grad }) => {
      expectClose(loss, -Math.log(0.866813), 1e-6, 'SoftmaxCrossEntropyLoss.forward on seed 000: 876');
      expectClose(
        grad,
        [[0.866813 - 1, 0.015876, 0.11731]],
        1e-5,
        'SoftmaxCrossEntropyLoss.backward = softmax(z) − y (seed 004: 1450–1457)',
      );
    },
  }),
  knownValue({
    title: 'a batch of two rows of logits: the mean of −log softmax at the true class, gradient (ŷ − y) / 2',
    run: () => pass(tensor([2, 1, 0.1, -1, 3, 0.5], [2, 3]), tensor([1, 0, 0, 0, 0, 1], [2, 3])),
    verify: ({ loss, grad }) => {
      // Row 0: −log softmax(2, 1, 0.1)₀; row 1: −log softmax(−1, 3, 0.5)₂; computed with an independent log-sum-exp.
      expectClose(loss, 1.5063521728461078, 1e-12, 'SoftmaxCrossEntropyLoss.forward, the mean over a batch of 2');
      expectClose(
        grad,
        [
          [-0.17049943055701605, 0.12121648535235695, 0.0492829452046591],
          [0.008322259304636172, 0.45437996212925663, -0.4627022214338928],
        ],
        1e-12,
        'SoftmaxCrossEntropyLoss.backward = (ŷ − y) / batch',
      );
    },
  }),
  knownValue({
    title:
      'logits (1000, 0, −1000) for class 1 give L = 1000 and (−1000, −1001) for class 1 give L = 1 + log(1 + e⁻¹), not ∞ or NaN',
    run: () => ({
      large: pass(fromArray([[1000, 0, -1000]]), fromArray([[0, 1, 0]])),
      negative: pass(fromArray([[-1000, -1001]]), fromArray([[0, 1]])),
    }),
    verify: ({ large, negative }) => {
      const hint = 'work in the log domain with the row maximum subtracted: log ŷ = z − m − log Σ exp(z − m)';
      expectFinite(large.loss, `SoftmaxCrossEntropyLoss.forward of (1000, 0, −1000): ${hint}`);
      expectFinite(negative.loss, `SoftmaxCrossEntropyLoss.forward of (−1000, −1001): ${hint}`);
      expectClose(large.loss, 1000, 1e-12, `SoftmaxCrossEntropyLoss.forward of (1000, 0, −1000), class 1: ${hint}`);
      expectClose(
        large.grad,
        [[1, -1, 0]],
        1e-12,
        'SoftmaxCrossEntropyLoss.backward of (1000, 0, −1000), class 1: ŷ − y',
      );
      // softmax(−1000, −1001) = softmax(0, −1) = (0.731059, 0.268941).
      expectClose(
        negative.loss,
        1.3132616875182228,
        1e-12,
        `SoftmaxCrossEntropyLoss.forward of (−1000, −1001), class 1: ${hint}`,
      );
      expectClose(
        negative.grad,
        [[0.7310585786300049, -0.7310585786300049]],
        1e-12,
        'SoftmaxCrossEntropyLoss.backward of (−1000, −1001), class 1: ŷ − y',
      );
    },
  }),
  badInput({
    title: 'rejects mismatched targets and backward before forward',
    run: () => {
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const valid = numberData(
        new SoftmaxCrossEntropyLoss().forward(fromArray([[0, 0]]), fromArray([[1, 0]])),
        'SoftmaxCrossEntropyLoss.forward',
      );
      return {
        valid,
        mismatch: thrown(() => new SoftmaxCrossEntropyLoss().forward(fromArray([[1, 2, 3]]), fromArray([[1, 0]]))),
        early: thrown(() => new SoftmaxCrossEntropyLoss().backward()),
      };
    },
    verify: ({ valid, mismatch, early }) => {
      expectClose(valid, Math.LN2, 1e-12, 'SoftmaxCrossEntropyLoss.forward of logits (0, 0): log 2');
      expectError(mismatch, ShapeError.name, 'SoftmaxCrossEntropyLoss.forward of [1, 3] logits with [1, 2] targets');
      expectError(early, StateError.name, 'SoftmaxCrossEntropyLoss.backward before any forward');
    },
  }),
  training({
    title: 'trains a linear layer (test double) to ≥ 0.9 test accuracy on Iris',
    // The layer and the update are test-local doubles: only the loss is yours.
    run: () =>
      trainOnIris({
        seed: 17,
        layers: (rng) => [denseDouble(4, 3, rng, 'uniform')],
        loss: new SoftmaxCrossEntropyLoss(),
        what: 'the linear double',
      }),
    verify: (data) =>
      verifyIrisTraining(data, {
        lossHint: 'check SoftmaxCrossEntropyLoss.backward',
        network: 'a linear layer trained with your loss',
      }),
    matchReference: false,
  }),
]);
