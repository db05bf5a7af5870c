import fc from 'fast-check';
import { expect } from 'vitest';
import {
  compareWithNumeric,
  fromArray,
  neg,
  Parameter,
  Rng,
  scale,
  ValueError,
  type Network,
  type NetworkOptions,
  type Regularizer,
  type Tensor,
} from '../../framework/index.js';
import {
  badInput,
  drawSamples,
  expectClose,
  expectError,
  fail,
  gradient,
  knownValue,
  matrix,
  numberData,
  parameterData,
  property,
  tensorData,
  thrown,
  type TensorData,
} from '../harness/index.js';
import { ParameterHolder } from './parameter-holder.js';
import { regularizedRegression, verifyRegularizedSteps } from './regularized-regression.js';
import { FlipOptimizer, PlainSgd } from './test-optimizers.js';
import { LogitsCrossEntropy } from './test-training.js';

/**
 * The checks every Exercise 3 weight penalty passes alike, written once for L1Regularizer and
 * L2Regularizer (tests/ex3/l1-regularizer.test.ts and l2-regularizer.test.ts add their seed-cited
 * known values and their own training). A penalty is element-wise:
 *   norm(w) = α·Σ n(w_i),   gradient(w)_i = α·g(w_i),   ∂norm/∂w = k·gradient(w)
 * with n = |·|, g = sign, k = 1 for L1 and n = (·)², g = identity, k = 2 for L2 (the kit's convention,
 * docs/conventions.md). Any optimizer (framework/nn/optimizer.ts, given) applies it to role 'weight'
 * only, from the weights before the step: w ← step(w, ∂L/∂w) − η·α·g(w_old). `verify` compares with
 * n and g as the spec writes them; the optimizers, layers and loss are test doubles, and the only other
 * student component, the network that sums the penalty, comes in through the spec.
 */
export interface RegularizerSpec {
  /** The class name, as failure messages name it. */
  readonly name: string;
  /** Builds the regularizer under test (the student's class) with strength α. */
  readonly make: (alpha: number) => Regularizer;
  /** Builds the student's NeuralNetwork, whose regularizationLoss sums norm over the weights. */
  readonly makeNetwork: (options: NetworkOptions) => Network;
  /** norm(w) as the handout writes it, n(w_i), and what a wrong norm most likely missed. */
  readonly norm: { readonly formula: string; readonly term: (w: number) => number; readonly hint: string };
  /** gradient(w) as the handout writes it (in w), g(w_i), and what a wrong gradient most likely missed. */
  readonly gradient: { readonly formula: string; readonly term: (w: number) => number; readonly hint: string };
  /** ∂norm/∂w = factor·gradient(w), and the rule that says so, for the gradient check's message. */
  readonly normSlope: { readonly factor: 1 | 2; readonly rule: string };
  /** Values worked by hand on the inputs the checks below name. */
  readonly byHand: {
    /** α = 0.1 on [[1, −2], [0, 3]]: the norm, its sum written out, and the gradient. */
    readonly norm: number;
    readonly normSum: string;
    readonly gradient: number[][];
    /** FlipOptimizer (w ← −w), lr 0.5, α = 0.2, weight [1, −2]: −w_old − η·α·g(w_old). */
    readonly flipped: [number, number];
    /** α = 0.5, two layers with weights [[1, −2], [0.5, 0]] and [−1]: the regularization loss and its sum. */
    readonly networkLoss: number;
    readonly networkSum: string;
  };
}

type AnyCheck = ReturnType<typeof property>;

/** Weights of random shape with an exact 0 in every other sample (L1's subgradient is chosen there), and α. */
const weightsAndAlpha = fc.tuple(
  matrix(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  fc.double({ min: 0, max: 5, noNaN: true }),
  fc.boolean(),
);

/** The handout's way of writing a matrix: [[0.1, −0.1], [0, 0.1]]. */
const written = (rows: readonly (readonly number[])[]): string =>
  `[${rows.map((row) => `[${row.map((v) => String(v).replace('-', '−')).join(', ')}]`).join(', ')}]`;

/** The formula at the weights before the step: α·sign(w) → α·sign(w_old). */
const atOldWeights = (formula: string): string => formula.replace(/\bw\b/, 'w_old');

/** Run side: norm and gradient of the regularizer with strength α at w. */
function normAndGradient(spec: RegularizerSpec, alpha: number, w: Tensor) {
  const regularizer = spec.make(alpha);
  return {
    norm: numberData(regularizer.norm(w), `${spec.name}.norm`),
    gradient: tensorData(regularizer.gradient(w), `${spec.name}.gradient`),
  };
}

/**
 * Run side of a component's seed-cited SGD step: one parameter of each role, value [[0.5, −1.5], [2, 0]]
 * and gradient [[1, 1], [−1, 2]], one step of PlainSgd with lr 0.1 and `regularizer`.
 */
export function sgdStepOnEachRole(regularizer: Regularizer, what: string): Record<string, TensorData> {
  const parameters = (['weight', 'bias', 'scale', 'shift'] as const).map((role) => {
    const parameter = new Parameter(
      role,
      fromArray([
        [0.5, -1.5],
        [2, 0],
      ]),
      role,
    );
    parameter.accumulate(
      fromArray([
        [1, 1],
        [-1, 2],
      ]),
    );
    return parameter;
  });
  new PlainSgd({ lr: 0.1, regularizer }).step(parameters);
  return parameterData(parameters, what);
}

/** Verify side: the weight is `weight`; bias, scale and shift took the plain step w − 0.1·g only. */
export function expectOnlyWeightPenalised(values: Record<string, TensorData>, weight: number[][], what: string): void {
  expectClose(values.weight, weight, 1e-12, what);
  for (const role of ['bias', 'scale', 'shift'])
    expectClose(
      values[role],
      [
        [0.4, -1.6],
        [2.1, -0.2],
      ],
      1e-12,
      `${role} after the step (only the plain gradient step; the penalty is for role 'weight' only)`,
    );
}

/** The checks both penalties pass: the formulas, their derivative, the optimizer's use, the network's sum, refusals. */
export function regularizerChecks(spec: RegularizerSpec): AnyCheck[] {
  const { name, norm, byHand } = spec;
  const penalty = spec.gradient;
  const { factor, rule } = spec.normSlope;
  const times = factor === 1 ? '' : `${factor}·`;
  return [
    property({
      title: `gradient(w) is ${penalty.formula}, element by element, with the shape of w (0 where w = 0)`,
      run: (rng) =>
        drawSamples(weightsAndAlpha, rng, 40).map(([rows, alpha, withZero]) => {
          if (withZero) rows[rows.length - 1][0] = 0;
          const w = fromArray(rows);
          return {
            w: tensorData(w, 'w'),
            alpha,
            gradient: tensorData(spec.make(alpha).gradient(w), `${name}.gradient`),
          };
        }),
      verify: (samples) =>
        samples.forEach(({ w, alpha, gradient }, s) => {
          expectClose(
            gradient,
            { shape: w.shape, data: w.data.map((v) => alpha * penalty.term(v)) },
            1e-12,
            `sample ${s} (α = ${alpha}): ${name}.gradient must be ${penalty.formula}${penalty.hint}`,
          );
        }),
      hiddenRerun: true,
    }),
    property({
      title: `norm(w) = ${norm.formula}: ≥ 0, even in w, zero at w = 0, and linear in α`,
      run: (rng) =>
        drawSamples(weightsAndAlpha, rng, 40).map(([rows, alpha]) => {
          const w = fromArray(rows);
          const normOf = (strength: number, weights: Tensor) =>
            numberData(spec.make(strength).norm(weights), `${name}.norm`);
          return {
            w: tensorData(w, 'w'),
            alpha,
            norm: normOf(alpha, w),
            ofNegated: normOf(alpha, neg(w)),
            doubleAlpha: normOf(2 * alpha, w),
            ofZero: normOf(alpha, scale(w, 0)),
          };
        }),
      verify: (samples) =>
        samples.forEach(({ w, alpha, norm: value, ofNegated, doubleAlpha, ofZero }, s) => {
          const expected = alpha * w.data.reduce((total, v) => total + norm.term(v), 0);
          expectClose(
            value,
            expected,
            1e-12,
            `sample ${s} (α = ${alpha}): ${name}.norm must be ${norm.formula} ${norm.hint}`,
          );
          expect(value, `sample ${s}: ${name}.norm must be ≥ 0`).toBeGreaterThanOrEqual(0);
          expectClose(ofNegated, value, 1e-12, `sample ${s}: ${name}.norm(−w) must equal norm(w)`);
          expectClose(doubleAlpha, 2 * value, 1e-12, `sample ${s}: ${name}.norm must double when α doubles`);
          expectClose(ofZero, 0, 0, `sample ${s}: ${name}.norm(0)`);
        }),
      hiddenRerun: true,
    }),
    property({
      title: `a gradient step with the penalty, step by step on a seeded regression: w ← w − η·∂L/∂w − η·${atOldWeights(penalty.formula)}`,
      // The data gradient is the kit's, computed in run; verify re-derives each step from the weights before it.
      run: (rng) => regularizedRegression(rng, spec.make),
      verify: (trajectory) => verifyRegularizedSteps(trajectory, penalty.term, name, atOldWeights(penalty.formula)),
      hiddenRerun: true,
    }),
    gradient({
      title: `${times}gradient(w) matches centred differences of norm(w), on weights away from 0`,
      run: () => {
        // Away from 0, where |w| has its kink: the differences of L1's norm are then exact to rounding.
        const w = new Rng(3).uniformTensor([3, 4], 0.2, 2);
        for (let i = 0; i < w.size; i += 2) w.data[i] = -w.data[i];
        const regularizer = spec.make(0.3);
        const analytic = regularizer.gradient(w);
        tensorData(analytic, `${name}.gradient`);
        return compareWithNumeric('weights', scale(analytic, factor), w, () =>
          numberData(regularizer.norm(w), `${name}.norm`),
        );
      },
      verify: (comparison) => {
        if (!(comparison.maxRelativeError < 1e-7)) {
          fail(
            `${times}${name}.gradient has relative error ${comparison.maxRelativeError} (limit 1e-7) at [${comparison.worstIndex.join(', ')}]: ` +
              `${times}gradient gave ${comparison.analytic}, centred differences of norm give ${comparison.numeric}. ` +
              `With norm(w) = ${norm.formula}, ${rule}.`,
          );
        }
      },
    }),
    knownValue({
      title: `α = 0.1 on [[1, −2], [0, 3]]: norm ${byHand.norm}, gradient ${written(byHand.gradient)}`,
      run: () =>
        normAndGradient(
          spec,
          0.1,
          fromArray([
            [1, -2],
            [0, 3],
          ]),
        ),
      verify: (values) => {
        expectClose(values.norm, byHand.norm, 1e-12, `${name}.norm: ${byHand.normSum}`);
        expectClose(values.gradient, byHand.gradient, 1e-12, `${name}.gradient: ${penalty.formula}${penalty.hint}`);
      },
    }),
    knownValue({
      title: 'the optimizer takes the penalty from the weights before the step, and only for role "weight"',
      run: () => {
        const start = () => fromArray([1, -2]);
        const holder = ParameterHolder.ofEachRole({ weight: start(), bias: start(), scale: start(), shift: start() });
        new FlipOptimizer(0.5, { regularizer: spec.make(0.2) }).step(holder.parameters());
        return parameterData(holder.held, `FlipOptimizer.step with ${name}(0.2)`);
      },
      verify: (values) => {
        // A penalty taken from the weights after the flip would be −w_old − η·α·g(−w_old).
        const after = [1, -2].map((w) => -w - 0.5 * 0.2 * penalty.term(-w));
        expectClose(
          values.weight,
          byHand.flipped,
          1e-12,
          `weight after a sign-flipping step (w ← −w) with ${name}(0.2), lr 0.5: −w_old − η·${atOldWeights(penalty.formula)}` +
            ` (a penalty taken after the step would give [${after.join(', ')}])`,
        );
        for (const role of ['bias', 'scale', 'shift'])
          expectClose(values[role], [-1, 2], 1e-12, `${role} (must not be regularized)`);
      },
    }),
    knownValue({
      title: `the network's regularizationLoss is ${norm.formula} over the weights of every layer only (not biases, scales or shifts), and computeLoss adds it to the data loss`,
      run: () => {
        const network = spec.makeNetwork({
          optimizer: new PlainSgd({ lr: 0.1, regularizer: spec.make(0.5) }),
          loss: new LogitsCrossEntropy(),
          rng: new Rng(1),
        });
        network.append(
          ParameterHolder.ofEachRole({
            weight: fromArray([
              [1, -2],
              [0.5, 0],
            ]),
            bias: fromArray([10, -10]),
            scale: fromArray([3, 3]),
            shift: fromArray([-4, 4]),
          }),
        );
        const seven = () => fromArray([7]);
        network.append(
          ParameterHolder.ofEachRole({ weight: fromArray([-1]), bias: seven(), scale: seven(), shift: seven() }),
        );
        return {
          regularization: numberData(network.regularizationLoss(), 'NeuralNetwork.regularizationLoss'),
          total: numberData(network.computeLoss(fromArray([[0, 0]]), fromArray([[1, 0]])), 'NeuralNetwork.computeLoss'),
        };
      },
      verify: ({ regularization, total }) => {
        expectClose(
          regularization,
          byHand.networkLoss,
          1e-12,
          `NeuralNetwork.regularizationLoss with ${name}(0.5): ${byHand.networkSum}, the weights of both layers only`,
        );
        expectClose(
          total,
          Math.LN2 + byHand.networkLoss,
          1e-12,
          `NeuralNetwork.computeLoss with ${name}(0.5) = data loss (ln 2) + regularization loss`,
        );
      },
    }),
    badInput({
      title: 'α = 0 is no penalty; a negative or non-finite α is refused with a ValueError',
      run: () => ({
        // Calls into norm and gradient first: the refusals are given code, which the stub has too.
        zero: normAndGradient(spec, 0, fromArray([1, -2, 0])),
        negative: thrown(() => spec.make(-0.1)),
        infinite: thrown(() => spec.make(Number.POSITIVE_INFINITY)),
        notANumber: thrown(() => spec.make(Number.NaN)),
      }),
      verify: ({ zero, negative, infinite, notANumber }) => {
        expectClose(zero.norm, 0, 0, `${name}(0).norm`);
        expectClose(zero.gradient, [0, 0, 0], 0, `${name}(0).gradient`);
        expectError(negative, ValueError.name, `new ${name}(−0.1)`);
        expectError(infinite, ValueError.name, `new ${name}(∞)`);
        expectError(notANumber, ValueError.name, `new ${name}(NaN)`);
      },
    }),
  ];
}
