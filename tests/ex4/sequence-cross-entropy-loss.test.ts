import fc from 'fast-check';
import { expect } from 'vitest';
import { oneHotSequences, Rng, ShapeError, StateError, tensor, zeros, type Tensor } from '../../framework/index.js';
import { SequenceCrossEntropyLoss } from '#impl/losses/sequence-cross-entropy-loss.js';
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
  numberData,
  property,
  tensorData,
  thrown,
  training,
  type GradientData,
  type TensorData,
} from '../harness/index.js';

/**
 * Exercise 4, SequenceCrossEntropyLoss: a softmax over the classes at every (b, t) of the logits
 * [batch, time, classes], then L = −Σ_b Σ_t log ŷ_bt[target] (the seed's Σ_t L(ŷ_t, y_t), 004: 6031),
 * divided by batch·time for 'mean' (the default); the gradient is ŷ − y with the same factor.
 * Handout: docs/exercises/4-recurrent.md#sequencecrossentropyloss
 */

type Reduction = 'mean' | 'sum';

const randomLabels = (rng: Rng, batch: number, time: number, classes: number): number[][] =>
  Array.from({ length: batch }, () => Array.from({ length: time }, () => rng.int(classes)));

/** Loss and ∂L/∂logits written out with loops (a max-shifted log-softmax per step): what verify compares with. */
function definition(
  logits: TensorData,
  target: TensorData,
  reduction: Reduction,
): { loss: number; gradient: TensorData } {
  const [batch, time, classes] = logits.shape;
  const factor = reduction === 'mean' ? 1 / (batch * time) : 1;
  const gradient = new Array<number>(logits.data.length).fill(0);
  let loss = 0;
  for (let row = 0; row < batch * time; row++) {
    const z = logits.data.slice(row * classes, (row + 1) * classes);
    const largest = Math.max(...z);
    const logTotal = Math.log(z.reduce((sum, v) => sum + Math.exp(v - largest), 0));
    for (let k = 0; k < classes; k++) {
      const logProbability = z[k] - largest - logTotal;
      const y = target.data[row * classes + k];
      loss -= y * logProbability;
      gradient[row * classes + k] = (Math.exp(logProbability) - y) * factor;
    }
  }
  return { loss: loss * factor, gradient: { shape: logits.shape, data: gradient } };
}

/** Random logits N(offset, scale²) [batch, time, classes] and one-hot targets, the loss and its gradient: everything as data. */
function randomPass(rng: Rng, reduction: Reduction, batch: number, time: number, scale = 3, offset = 0) {
  const classes = intIn(rng, 2, 7);
  const target = oneHotSequences(randomLabels(rng, batch, time, classes), classes);
  const logits = rng.normalTensor([batch, time, classes], offset, scale);
  const loss = new SequenceCrossEntropyLoss({ reduction });
  const value = numberData(loss.forward(logits, target), 'SequenceCrossEntropyLoss.forward');
  return {
    reduction,
    logits: tensorData(logits, 'logits'),
    target: tensorData(target, 'target'),
    loss: value,
    gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward'),
  };
}

function verifyPass(pass: ReturnType<typeof randomPass>): void {
  const [batch, time] = pass.logits.shape;
  const want = definition(pass.logits, pass.target, pass.reduction);
  const averaged =
    pass.reduction === 'mean' ? ` divided by batch·time = ${batch * time} for 'mean'` : ", not divided for 'sum'";
  expectFinite(
    pass.loss,
    `SequenceCrossEntropyLoss.forward on logits up to ${Math.max(...pass.logits.data.map(Math.abs)).toFixed(0)} in size (subtract the largest logit of each step before exp)`,
  );
  if (
    pass.reduction === 'mean' &&
    Math.abs(pass.loss - want.loss * time) <= 1e-9 * (1 + Math.abs(want.loss * time)) &&
    time > 1
  ) {
    fail(
      `SequenceCrossEntropyLoss.forward ('mean') = ${pass.loss}, expected ${want.loss}: it is divided by the batch only; 'mean' averages over every step of every sequence (batch·time = ${batch * time})`,
    );
  }
  expectClose(
    pass.loss,
    want.loss,
    1e-9,
    `SequenceCrossEntropyLoss.forward (${pass.reduction}): −Σ_b Σ_t log softmax(z_bt)[target]${averaged}`,
  );
  expectClose(
    pass.gradient,
    want.gradient,
    1e-9,
    `SequenceCrossEntropyLoss.backward (${pass.reduction}): ŷ − y per step${averaged}`,
  );
}

/** The gradient check, with the formula in the hint. */
function expectLossGradient(report: GradientData, reduction: Reduction): void {
  try {
    expectGradientsMatch(report, 1e-6);
  } catch (error) {
    fail(
      `${(error as Error).message} For '${reduction}' the gradient is (ŷ − y)${reduction === 'mean' ? ' divided by batch·time' : ''}.`,
    );
  }
}

export default componentChecks('ex4', 'SequenceCrossEntropyLoss', [
  property({
    title: 'uniform logits score ln K per step with mean reduction, whatever batch and time',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 2, max: 7 }),
          fc.integer({ min: 0, max: 99 }),
        ),
        rng,
        30,
      ).map(([batch, time, classes, seed]) => ({
        batch,
        time,
        classes,
        loss: numberData(
          new SequenceCrossEntropyLoss().forward(
            zeros([batch, time, classes]),
            oneHotSequences(randomLabels(new Rng(seed), batch, time, classes), classes),
          ),
          'SequenceCrossEntropyLoss.forward',
        ),
      })),
    verify: (samples) =>
      samples.forEach(({ batch, time, classes, loss }, i) => {
        expectClose(
          loss,
          Math.log(classes),
          1e-12,
          `sample ${i}: zero logits [${batch}, ${time}, ${classes}]: the mean over batch·time of −ln(1/${classes}) is ln ${classes}`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'is invariant to adding a constant to the logits of one step, and sum = batch·time · mean',
    run: (rng) =>
      drawSamples(
        fc.tuple(fc.integer({ min: 0, max: 999 }), fc.double({ min: -50, max: 50, noNaN: true })),
        rng,
        30,
      ).map(([seed, shift]) => {
        const draw = new Rng(seed);
        const logits = draw.normalTensor([2, 3, 4], 0, 3);
        const target = oneHotSequences(randomLabels(draw, 2, 3, 4), 4);
        const shifted = logits.clone();
        for (let k = 0; k < 4; k++) shifted.data[4 + k] += shift;
        const loss = (reduction: Reduction, z: Tensor) =>
          numberData(
            new SequenceCrossEntropyLoss({ reduction }).forward(z, target),
            'SequenceCrossEntropyLoss.forward',
          );
        return { shift, mean: loss('mean', logits), shifted: loss('mean', shifted), sum: loss('sum', logits) };
      }),
    verify: (samples) =>
      samples.forEach(({ shift, mean, shifted, sum }, i) => {
        expectClose(
          shifted,
          mean,
          1e-9,
          `sample ${i}: adding ${shift} to every logit of step (0, 1) must not change the loss (softmax is shift-invariant)`,
        );
        expectClose(sum, 6 * mean, 1e-9, `sample ${i}: 'sum' on [2, 3, 4] logits must be batch·time = 6 times 'mean'`);
      }),
    hiddenRerun: true,
  }),
  property({
    title: "reduction 'mean' on random sizes: loss and gradient agree with the definition",
    weight: 2,
    run: (rng) => randomPass(rng, 'mean', intIn(rng, 1, 4), intIn(rng, 1, 7)),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: "reduction 'sum' on random sizes: loss and gradient agree with the definition",
    run: (rng) => randomPass(rng, 'sum', intIn(rng, 1, 4), intIn(rng, 1, 7)),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'a batch of one sequence of one step',
    run: (rng) => randomPass(rng, 'mean', 1, 1),
    verify: verifyPass,
    hiddenRerun: true,
  }),
  property({
    title: 'logits around +1000 and around −1000 (spread ±200) stay finite and agree with the definition',
    run: (rng) => ({
      high: randomPass(rng, 'mean', intIn(rng, 1, 3), intIn(rng, 2, 5), 200, rng.uniformIn(900, 1100)),
      low: randomPass(rng, 'mean', intIn(rng, 1, 3), intIn(rng, 2, 5), 200, -rng.uniformIn(900, 1100)),
    }),
    verify: ({ high, low }) => {
      verifyPass(high);
      verifyPass(low);
    },
    hiddenRerun: true,
  }),
  ...(['mean', 'sum'] as const).map((reduction) =>
    gradient({
      title: `backward matches centred differences (${reduction})`,
      run: () => {
        const rng = new Rng(11);
        return lossGradients(
          new SequenceCrossEntropyLoss({ reduction }),
          rng.normalTensor([3, 4, 5]),
          oneHotSequences(randomLabels(rng, 3, 4, 5), 5),
        );
      },
      verify: (report) => expectLossGradient(report, reduction),
    }),
  ),
  knownValue({
    title: "the seed's sequence loss Σ_t L(ŷ_t, y_t) (004: 6031) on two steps worked by hand, and the gradient ŷ − y",
    // Step 1: logits (0, ln 3), target class 1: ŷ = (1/4, 3/4), loss −ln(3/4) = 0.287682072.
    // Step 2: logits (ln 2, 0), target class 1: ŷ = (2/3, 1/3), loss ln 3 = 1.098612289.
    run: () => {
      const loss = new SequenceCrossEntropyLoss({ reduction: 'sum' });
      const value = numberData(
        loss.forward(tensor([0, Math.log(3), Math.log(2), 0], [1, 2, 2]), tensor([0, 1, 0, 1], [1, 2, 2])),
        'SequenceCrossEntropyLoss.forward',
      );
      return { loss: value, gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward') };
    },
    verify: ({ loss, gradient }) => {
      expectClose(loss, -Math.log(0.75) + Math.log(3), 1e-12, "'sum' over the two steps: −ln(3/4) + ln 3");
      expectClose(
        gradient,
        [
          [
            [0.25, -0.25],
            [2 / 3, -2 / 3],
          ],
        ],
        1e-12,
        'gradient ŷ − y per step',
      );
    },
  }),
  knownValue({
    title: 'logits of ±1000 give a finite loss and gradient (log-softmax with the maximum subtracted)',
    // Step 1: logits (1000, 0, −1000), target 1: −log ŷ = 1000. Step 2: (0, 1000, 0), target 1: ≈ 0.
    // 'mean' over 2 steps: 500; gradient (ŷ − y)/2 = ((1, −1, 0), (0, 0, 0))/2 up to e^−1000.
    run: () => {
      const loss = new SequenceCrossEntropyLoss();
      const value = numberData(
        loss.forward(tensor([1000, 0, -1000, 0, 1000, 0], [1, 2, 3]), tensor([0, 1, 0, 0, 1, 0], [1, 2, 3])),
        'SequenceCrossEntropyLoss.forward',
      );
      const confident = numberData(
        new SequenceCrossEntropyLoss().forward(tensor([1000, 0], [1, 1, 2]), tensor([1, 0], [1, 1, 2])),
        'SequenceCrossEntropyLoss.forward',
      );
      return { loss: value, gradient: tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward'), confident };
    },
    verify: ({ loss, gradient, confident }) => {
      expectFinite(
        loss,
        'SequenceCrossEntropyLoss.forward on logits of ±1000 (subtract the largest logit of each step before exp)',
      );
      expectClose(loss, 500, 1e-12, "the loss of logits (1000, 0, −1000) and (0, 1000, 0), 'mean' over 2 steps");
      expectFinite(gradient, 'SequenceCrossEntropyLoss.backward on logits of ±1000');
      expectClose(
        gradient,
        [
          [
            [0.5, -0.5, 0],
            [0, 0, 0],
          ],
        ],
        1e-12,
        'SequenceCrossEntropyLoss.backward: (ŷ − y)/(batch·time)',
      );
      expectClose(confident, 0, 1e-12, 'the loss of logits (1000, 0) with target class 0');
    },
  }),
  badInput({
    title: 'rejects non-sequence shapes, targets of another shape, and backward before forward',
    run: () => {
      const loss = new SequenceCrossEntropyLoss();
      const early = thrown(() => loss.backward());
      // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
      const working = numberData(
        loss.forward(
          zeros([2, 3, 4]),
          oneHotSequences(
            [
              [0, 1, 2],
              [3, 0, 1],
            ],
            4,
          ),
        ),
        'SequenceCrossEntropyLoss.forward',
      );
      return {
        early,
        working,
        flat: thrown(() => loss.forward(zeros([2, 3]), zeros([2, 3]))),
        mismatched: thrown(() => loss.forward(zeros([2, 3, 4]), zeros([2, 2, 4]))),
      };
    },
    verify: ({ early, working, flat, mismatched }) => {
      expectClose(working, Math.log(4), 1e-12, 'SequenceCrossEntropyLoss.forward of zero logits over 4 classes');
      expectError(early, StateError.name, 'SequenceCrossEntropyLoss.backward before any forward');
      expectError(flat, ShapeError.name, 'SequenceCrossEntropyLoss.forward of [2, 3] logits', [
        '[batch, time, classes]',
      ]);
      expectError(
        mismatched,
        ShapeError.name,
        'SequenceCrossEntropyLoss.forward of [2, 3, 4] logits with [2, 2, 4] targets',
      );
    },
  }),
  training({
    title: 'drives per-step logits to the targets by gradient descent on the loss alone',
    run: () => {
      const rng = new Rng(2);
      const labels = randomLabels(rng, 4, 5, 3);
      const target = oneHotSequences(labels, 3);
      let logits = zeros([4, 5, 3]);
      const loss = new SequenceCrossEntropyLoss();
      const losses: number[] = [];
      for (let step = 0; step < 100; step++) {
        losses.push(numberData(loss.forward(logits, target), 'SequenceCrossEntropyLoss.forward'));
        const grad = tensorData(loss.backward(), 'SequenceCrossEntropyLoss.backward');
        logits = tensor(
          logits.data.map((z, i) => z - 20 * grad.data[i]),
          logits.shape,
        );
      }
      return { losses, logits: tensorData(logits, 'logits after 100 steps'), target: tensorData(target, 'target') };
    },
    verify: ({ losses, logits, target }) => {
      // The loss of the final logits, computed here from the definition: gradient descent must have moved them.
      const last = definition(logits, target, 'mean').loss;
      expect(
        last,
        `after 100 steps of z ← z − 20·∂L/∂z the loss is ${last} (it started at ${losses[0]} = ln 3); it should fall below 0.05. Check the sign and size of backward`,
      ).toBeLessThan(0.05);
      expect(
        losses.every((value, k) => k === 0 || value <= losses[k - 1] + 1e-12),
        'the loss must fall at every step of gradient descent with this step size',
      ).toBe(true);
    },
    matchReference: false,
  }),
]);
