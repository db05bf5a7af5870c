import fc from 'fast-check';
import { expect } from 'vitest';
import { Dropout } from '#impl/layers/dropout.js';
import { fromArray, full, ones, Rng, ShapeError, StateError, Tensor, ValueError } from '../../framework/index.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  expectGradientsMatch,
  fail,
  finite,
  gradient,
  knownValue,
  layerGradients,
  matrix,
  property,
  tensorData,
  thrown,
  training,
} from '../harness/index.js';
import { overfitRun, verifyOverfitShrinks } from '../helpers/overfitting.js';

/**
 * Exercise 3, Dropout (inverted): `rate` is the probability of DROPPING a unit (000: 2275; PyTorch's p).
 * Training: y = x ⊙ m with m_i = 0 with probability rate, else 1/(1 − rate); backward ∂L/∂x = ∂L/∂y ⊙ m
 * with the same mask. Eval: the identity, forward and backward (000: 2312). docs/conventions.md §2.
 * Handout: docs/exercises/3-regularization.md#dropout
 *
 * Masks are random: a correct layer that consumes its Rng in another order drops other units, so
 * training forwards are judged by what every correct mask shares (the fraction dropped, the scale of
 * the kept units, backward reusing forward's mask), never unit by unit; those checks have
 * `matchReference: false`.
 */

const rates = fc.double({ min: 0, max: 0.9, noNaN: true });
const anyMatrix = matrix(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }));
const nonZeroMatrix = anyMatrix.map((rows) => rows.map((row) => row.map((v) => (Math.abs(v) < 1e-3 ? 1 : v))));

/** [smallest, largest] of many values (no spread: 10 000 arguments can overflow the stack). */
function range(values: readonly number[]): [number, number] {
  return values.reduce<[number, number]>(
    ([low, high], v) => [Math.min(low, v), Math.max(high, v)],
    [Infinity, -Infinity],
  );
}

/** What every correct training mask shares, measured on a large input of positive values. */
function trainingStatistics(rate: number, rng: Rng) {
  const layer = new Dropout(rate, { rng: rng.fork() });
  const input = rng.uniformTensor([100, 100], 0.5, 2);
  const y = tensorData(layer.forward(input), 'Dropout.forward');
  const gradOutput = rng.uniformTensor([100, 100], 0.5, 2);
  const gradInput = tensorData(layer.backward(gradOutput), 'Dropout.backward');
  const kept = y.data.map((v, i) => v / input.data[i]).filter((v) => v !== 0);
  const gradientKept = gradInput.data.map((v, i) => v / gradOutput.data[i]).filter((v) => v !== 0);
  return {
    rate,
    shape: y.shape,
    droppedFraction: 1 - kept.length / y.data.length,
    keptScale: range(kept),
    gradientScale: range(gradientKept),
    backwardMaskDifferences: y.data.filter((v, i) => (v === 0) !== (gradInput.data[i] === 0)).length,
  };
}

function verifyStatistics(statistics: ReturnType<typeof trainingStatistics>): void {
  const { rate, shape, droppedFraction, keptScale, gradientScale, backwardMaskDifferences } = statistics;
  const where = `Dropout(${rate}) on a [100, 100] input`;
  expect(shape, `${where}: the output keeps the input's shape`).toEqual([100, 100]);
  // 10 000 units: the standard error of the fraction is at most 0.005; 0.025 is five of them.
  if (!(Math.abs(droppedFraction - rate) < 0.025))
    fail(
      `${where} dropped ${(100 * droppedFraction).toFixed(1)}% of the units, expected about ${(100 * rate).toFixed(1)}%: rate is the probability of DROPPING (m_i = 0 with probability rate)`,
    );
  const scale = 1 / (1 - rate);
  for (const [what, [low, high]] of [
    ['forward', keptScale],
    ['backward', gradientScale],
  ] as const) {
    if (!(Math.abs(low - scale) <= 1e-9 * scale && Math.abs(high - scale) <= 1e-9 * scale)) {
      fail(
        `${where}: ${what} scales the kept units by ${low} … ${high}, expected exactly 1/(1 − rate) = ${scale} (inverted dropout scales at training time)`,
      );
    }
  }
  if (backwardMaskDifferences !== 0)
    fail(
      `${where}: backward dropped other units than forward (${backwardMaskDifferences} differ); backward must use the mask of the last forward`,
    );
}

export default componentChecks('ex3', 'Dropout', [
  property({
    title: 'in eval mode (after training forwards) forward and backward are the identity',
    run: (rng) =>
      drawSamples(fc.tuple(anyMatrix, rates, fc.integer()), rng, 40).map(([rows, rate, seed]) => {
        const layer = new Dropout(rate, { rng: new Rng(seed) });
        const x = fromArray(rows);
        layer.backward(layer.forward(x));
        layer.training = false;
        const gradOutput = new Rng(seed ^ 0x2545).normalTensor(x.shape);
        return {
          rate,
          x: tensorData(x, 'x'),
          y: tensorData(layer.forward(x), 'Dropout.forward (eval)'),
          gradOutput: tensorData(gradOutput, 'gradOutput'),
          dx: tensorData(layer.backward(gradOutput), 'Dropout.backward (eval)'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ rate, x, y, gradOutput, dx }, s) => {
        expectClose(
          y,
          x,
          0,
          `sample ${s}: Dropout(${rate}).forward in eval mode must return x unchanged (no mask, no scaling: inverted dropout scales in training)`,
        );
        expectClose(
          dx,
          gradOutput,
          0,
          `sample ${s}: Dropout(${rate}).backward in eval mode must return the gradient unchanged`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'in training every output is either 0 (dropped) or x/(1 − rate) (kept and rescaled)',
    run: (rng) =>
      drawSamples(fc.tuple(nonZeroMatrix, rates, fc.integer()), rng, 40).map(([rows, rate, seed]) => {
        const x = fromArray(rows);
        return {
          rate,
          x: tensorData(x, 'x'),
          y: tensorData(new Dropout(rate, { rng: new Rng(seed) }).forward(x), 'Dropout.forward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ rate, x, y }, s) => {
        expect(y.shape, `sample ${s}: Dropout.forward must keep the shape`).toEqual(x.shape);
        y.data.forEach((v, i) => {
          const kept = x.data[i] / (1 - rate);
          if (!(v === 0 || Math.abs(v - kept) <= 1e-12 * (1 + Math.abs(kept))))
            fail(`sample ${s}: Dropout(${rate}) output ${i} is ${v}; expected 0 or x/(1 − rate) = ${kept}`);
        });
      }),
    hiddenRerun: true,
    matchReference: false,
  }),
  property({
    title: 'backward uses the same mask as forward: ∂L/∂x = ∂L/∂y ⊙ mask',
    run: (rng) =>
      drawSamples(fc.tuple(nonZeroMatrix, rates, fc.integer()), rng, 40).map(([rows, rate, seed]) => {
        const x = fromArray(rows);
        const layer = new Dropout(rate, { rng: new Rng(seed) });
        const y = tensorData(layer.forward(x), 'Dropout.forward');
        const gradOutput = new Rng(seed ^ 0x5bd1).normalTensor(x.shape);
        return {
          rate,
          x: tensorData(x, 'x'),
          y,
          gradOutput: tensorData(gradOutput, 'gradOutput'),
          dx: tensorData(layer.backward(gradOutput), 'Dropout.backward'),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ rate, x, y, gradOutput, dx }, s) => {
        expect(dx.shape, `sample ${s}: Dropout.backward must keep the shape`).toEqual(x.shape);
        dx.data.forEach((v, i) => {
          const forwardMask = y.data[i] / x.data[i];
          const expected = gradOutput.data[i] * forwardMask;
          if (!(Math.abs(v - expected) <= 1e-10 * (1 + Math.abs(expected))))
            fail(
              `sample ${s}: Dropout(${rate}).backward at ${i} is ${v}: forward scaled this unit by ${forwardMask}, so backward must give ${expected} (the same mask, scale included)`,
            );
        });
      }),
    hiddenRerun: true,
    matchReference: false,
  }),
  property({
    title: 'the mean of the outputs over many masks approaches the input (E[mask] = 1)',
    run: (rng) =>
      drawSamples(
        fc.tuple(
          fc.array(finite(5), { minLength: 1, maxLength: 8 }),
          fc.double({ min: 0.1, max: 0.7, noNaN: true }),
          fc.integer(),
        ),
        rng,
        15,
      ).map(([values, rate, seed]) => {
        const x = fromArray(values);
        const layer = new Dropout(rate, { rng: new Rng(seed) });
        const masks = 3000;
        const total = new Array<number>(values.length).fill(0);
        for (let m = 0; m < masks; m++) {
          const y = layer.forward(x);
          // tensorData checks what came back (and names the method); it is only slow, so once is enough.
          (m === 0 || !(y instanceof Tensor) ? tensorData(y, 'Dropout.forward') : y).data.forEach((v, i) => {
            total[i] += v;
          });
        }
        return { values, rate, masks, means: total.map((t) => t / masks) };
      }),
    verify: (samples) =>
      samples.forEach(({ values, rate, masks, means }, s) => {
        values.forEach((v, i) => {
          // Five standard errors of the mean of |x|·mask, var(mask) = rate/(1 − rate).
          const tolerance = 5 * Math.abs(v) * Math.sqrt(rate / (1 - rate) / masks) + 1e-12;
          if (!(Math.abs(means[i] - v) <= tolerance))
            fail(
              `sample ${s}: Dropout(${rate}): the mean output over ${masks} masks is ${means[i]} for input ${v}; inverted dropout must scale kept units by 1/(1 − rate) so that E[y] = x`,
            );
        });
      }),
    matchReference: false,
    hiddenRerun: true,
  }),
  property({
    title:
      'drops a fraction `rate` of the units (rate is the probability of dropping, not of keeping), scales the kept ones by 1/(1 − rate), backward with the same mask',
    run: () => [0.2, 0.5, 0.8].map((rate) => trainingStatistics(rate, new Rng(Math.round(rate * 10)))),
    verify: (all) => all.forEach(verifyStatistics),
  }),
  property({
    title:
      'training with a random rate and seed: fraction dropped, scale of the kept units, backward with the same mask',
    run: (rng) => trainingStatistics(rng.uniformIn(0.1, 0.9), rng),
    verify: verifyStatistics,
    hiddenRerun: true,
    matchReference: false,
  }),
  property({
    title: 'draws a new mask on every training forward, from its Rng (same seed, same masks)',
    run: () => {
      const x = ones([4, 25]);
      const a = new Dropout(0.5, { rng: new Rng(9) });
      const b = new Dropout(0.5, { rng: new Rng(9) });
      const first = tensorData(a.forward(x), 'Dropout.forward');
      return {
        first,
        sameSeed: tensorData(b.forward(x), 'Dropout.forward'),
        second: tensorData(a.forward(x), 'Dropout.forward'),
      };
    },
    verify: ({ first, sameSeed, second }) => {
      expectClose(
        sameSeed,
        first,
        0,
        "Dropout with the same seeded Rng must draw the same mask (draw every random number from the layer's Rng, never Math.random)",
      );
      const changed = second.data.filter((v, i) => v !== first.data[i]).length;
      if (changed === 0)
        fail(
          'Dropout.forward gave the same mask twice in a row: draw a new mask on each training forward (unless freezeMask is set)',
        );
    },
  }),
  property({
    title: 'rate 0 keeps everything, and freezeMask = true reuses the last mask',
    run: () => {
      const x = new Rng(2).normalTensor([3, 4]);
      const layer = new Dropout(0.5, { rng: new Rng(1) });
      layer.freezeMask = true;
      return {
        x: tensorData(x, 'x'),
        rateZero: tensorData(new Dropout(0, { rng: new Rng(1) }).forward(x), 'Dropout(0).forward'),
        first: tensorData(layer.forward(x), 'Dropout.forward'),
        second: tensorData(layer.forward(x), 'Dropout.forward'),
      };
    },
    verify: ({ x, rateZero, first, second }) => {
      expectClose(rateZero, x, 0, 'Dropout(0).forward in training: nothing dropped, scale 1/(1 − 0) = 1');
      expectClose(second, first, 0, 'Dropout.forward with freezeMask = true must reuse the last mask');
    },
  }),
  gradient({
    title: 'input gradient matches centred differences with the mask held fixed (freezeMask)',
    run: () => {
      const layer = new Dropout(0.4, { rng: new Rng(5) });
      layer.freezeMask = true;
      const report = layerGradients(layer, new Rng(6).normalTensor([4, 7]));
      return { report, mask: tensorData(layer.mask, 'Dropout.mask') };
    },
    verify: ({ report, mask }) => {
      expectGradientsMatch(report, 1e-7);
      expect(
        mask.data.some((v) => v === 0),
        'the gradient check should have run with some units dropped',
      ).toBe(true);
    },
  }),
  gradient({
    title: 'input gradient matches centred differences in eval mode (after a training forward)',
    run: () => {
      const layer = new Dropout(0.4, { rng: new Rng(5) });
      layer.forward(new Rng(6).normalTensor([3, 5]));
      layer.training = false;
      return layerGradients(layer, new Rng(6).normalTensor([3, 5]));
    },
    verify: (report) => expectGradientsMatch(report, 1e-7),
  }),
  knownValue({
    title: "rate 0.5 (the seeds' p = 0.5 for hidden units, 004: 4005; 000: 2276) doubles every kept unit",
    run: () => tensorData(new Dropout(0.5, { rng: new Rng(3) }).forward(full([2, 50], 3)), 'Dropout(0.5).forward'),
    verify: (y) =>
      expect(
        [...new Set(y.data)].sort((a, b) => a - b),
        'Dropout(0.5) on a tensor of 3s: outputs must be 0 or 6 (both must occur)',
      ).toEqual([0, 6]),
  }),
  knownValue({
    title:
      "rate 0.2 (the input-unit rate of 000: 2276) scales kept units by 1.25; ×(1 − rate) gives the seed's classic mask (004: 3894)",
    run: () => {
      const x = fromArray([[1, -2, 4, 8, -16]]);
      return {
        x: tensorData(x, 'x'),
        y: tensorData(new Dropout(0.2, { rng: new Rng(4) }).forward(x), 'Dropout(0.2).forward'),
      };
    },
    verify: ({ x, y }) =>
      y.data.forEach((v, i) => {
        const classic = v * 0.8;
        if (!(classic === 0 || Math.abs(classic - x.data[i]) <= 1e-12 * Math.abs(x.data[i])))
          fail(
            `Dropout(0.2) output ${i} is ${v}: times 0.8 that is ${classic}, expected 0 or x = ${x.data[i]} (kept units are x·1.25)`,
          );
      }),
  }),
  badInput({
    title:
      'refuses a rate outside [0, 1) (ValueError), a backward before forward (StateError) and a gradient of another shape (ShapeError)',
    run: () => {
      const layer = new Dropout(0.5, { rng: new Rng(1) });
      // A valid forward first: the refusals are given code, which the stub has too.
      const output = tensorData(layer.forward(ones([2, 3])), 'Dropout.forward');
      return {
        shape: output.shape,
        rateOne: thrown(() => new Dropout(1)),
        negativeRate: thrown(() => new Dropout(-0.1)),
        early: thrown(() => new Dropout(0.5).backward(ones([1, 1]))),
        wrongShape: thrown(() => layer.backward(ones([3, 2]))),
      };
    },
    verify: ({ shape, rateOne, negativeRate, early, wrongShape }) => {
      expect(shape, 'Dropout.forward of a [2, 3] input').toEqual([2, 3]);
      expectError(rateOne, ValueError.name, 'new Dropout(1) (dropping everything)');
      expectError(negativeRate, ValueError.name, 'new Dropout(−0.1)');
      expectError(early, StateError.name, 'Dropout.backward before any forward');
      expectError(wrongShape, ShapeError.name, 'Dropout.backward of a [3, 2] gradient after a [2, 3] forward');
    },
  }),
  training({
    title:
      'an overfitting MLP on noisily labelled data has a smaller train–test gap and a better test accuracy with Dropout(0.5) than without (seeded)',
    // The setup is in tests/helpers/overfitting.ts (synthetic data: the grader cannot read data/).
    run: () => ({ plain: overfitRun(), dropped: overfitRun({ extra: [new Dropout(0.5, { rng: new Rng(101) })] }) }),
    verify: (runs) =>
      verifyOverfitShrinks(runs.plain, runs.dropped, {
        plainName: 'the MLP without dropout',
        what: 'Dropout(0.5)',
        gapMargin: 0.05,
      }),
    matchReference: false,
  }),
]);
