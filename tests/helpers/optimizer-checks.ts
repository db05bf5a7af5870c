import fc from 'fast-check';
import { expect } from 'vitest';
import {
  Parameter,
  type Rng,
  Tensor,
  ValueError,
  type Optimizer,
  type OptimizerOptions,
  type Regularizer,
} from '../../framework/index.js';
import {
  accuracyOf,
  badInput,
  drawSamples,
  expectClose,
  expectError,
  fail,
  finite,
  intIn,
  knownValue,
  property,
  tensorData,
  thrown,
  training,
  type ErrorData,
  type TensorData,
} from '../harness/index.js';
import { ReluDouble } from './cnn-doubles.js';
import { denseDouble } from './dense-double.js';
import { digitGlyphs, glyphTrainingLosses } from './digit-glyphs.js';
import {
  OptimizerDefinition,
  PROBLEM_NAMES,
  PROBLEM_ROLES,
  referenceCase,
  type Hyper,
  type OptimizerName,
  type Problem,
  type ReferenceFile,
  type Role,
} from './optimizer-definitions.js';

/**
 * The checks every Exercise 2 optimizer passes alike, written once for the six of them (each test
 * file adds its own known values and laws). `run` drives the optimizer under test on test-local
 * parameters and gradients; `verify` compares with the independent reference trajectory
 * (tests/ex2/reference) or with the rule written out in optimizer-definitions.ts. Numeric gradients do
 * not apply to an optimizer (it has no backward pass); the trajectories pin its arithmetic instead.
 * No check uses another student component: the training check's layers, loss and data are doubles.
 */

/** The optimizer under test, as a test file describes it. */
export interface OptimizerSpec<O extends Optimizer = Optimizer> {
  readonly name: OptimizerName;
  /** tests/ex2/reference/optimizer-trajectories.json, imported by the test file. */
  readonly reference: ReferenceFile;
  /** Builds the optimizer under test (the student's class) from options under the constructor's names. */
  readonly make: (options: Hyper & OptimizerOptions) => O;
  /** The update rule as the handout writes it, for failure messages. */
  readonly rule: string;
  /** Builds it with its defaults (with the learning rate where the constructor requires one)… */
  readonly makeDefault: () => O;
  /** …reads the hyper-parameters it holds… */
  readonly readHyper: (optimizer: O) => Hyper;
  /** …and what they must be, with the seed lines that give them (in the check's title). */
  readonly defaults: { readonly hyper: Hyper; readonly source: string };
  /** Hyper-parameters for the steps drawn from a check's seed. */
  readonly randomHyper: (rng: Rng) => Hyper;
  /** Options under which a zero gradient must leave the weights alone (AdamW: no decay). */
  readonly still?: Hyper;
  /** Options the constructor refuses with a ValueError that mentions `mentions`. */
  readonly refusals: readonly { readonly options: Hyper; readonly mentions: string }[];
  /** The training check: hyper-parameters and the test accuracy to reach. */
  readonly training: { readonly hyper: Hyper; readonly iterations: number; readonly accuracy: number };
}

type AnyCheck = ReturnType<typeof property>;

/** A test-local L2 penalty α·Σw² (gradient 2αw), to check that an optimizer passes {regularizer} on. */
export function l2Double(alpha: number): Regularizer {
  return {
    name: 'L2Double',
    gradient: (w) =>
      new Tensor(
        w.shape,
        w.data.map((v) => 2 * alpha * v),
      ),
    norm: (w) => alpha * Array.from(w.data).reduce((sum, v) => sum + v * v, 0),
  };
}

/** The test problem's parameters at their start values: a weight [4] and a bias [2]. */
export function problemParameters(problem: Problem): Parameter[] {
  return PROBLEM_NAMES.map(
    (name, p) =>
      new Parameter(
        name,
        new Tensor([problem.start[name].length], Float64Array.from(problem.start[name])),
        PROBLEM_ROLES[p],
      ),
  );
}

/** grad ← a ⊙ (p − c) for L = ½ Σ a (p − c)², at the current values. */
export function setProblemGradients(parameters: readonly Parameter[], problem: Problem): void {
  for (const parameter of parameters) {
    const name = parameter.name as (typeof PROBLEM_NAMES)[number];
    const a = problem.curvature[name];
    const c = problem.target[name];
    parameter.zeroGrad();
    parameter.accumulate(
      new Tensor(
        parameter.value.shape,
        parameter.value.data.map((p, i) => a[i] * (p - c[i])),
      ),
    );
  }
}

/** Run side: the values of `parameters` as data. */
export function valuesOf(parameters: readonly Parameter[], what: string): TensorData[] {
  return parameters.map((parameter) => tensorData(parameter.value, `${what} (value of '${parameter.name}')`));
}

/** Run side: `steps` steps of `optimizer` on the test problem; the weight and bias after each. */
export function problemRun(
  optimizer: Optimizer,
  problem: Problem,
  steps: number,
  what: string,
  parameters = problemParameters(problem),
): TensorData[][] {
  const after: TensorData[][] = [];
  for (let step = 0; step < steps; step++) {
    setProblemGradients(parameters, problem);
    optimizer.step(parameters);
    after.push(valuesOf(parameters, what));
  }
  return after;
}

/** Verify side: each step's weight and bias against `expected` (weight, bias per step). */
export function expectTrajectory(
  after: readonly (readonly TensorData[])[],
  expected: readonly (readonly number[])[][],
  tolerance: number,
  what: string,
): void {
  if (after.length !== expected.length) fail(`${what}: expected ${expected.length} steps, received ${after.length}`);
  expected.forEach((values, step) => {
    values.forEach((value, p) => {
      expectClose(
        after[step][p],
        { shape: [value.length], data: [...value] },
        tolerance,
        `${what}: ${PROBLEM_NAMES[p]} after step ${step + 1}`,
      );
    });
  });
}

/** Run side: trains a 64 → 32 → 10 ReLU network (test-local layers and loss) on digit glyphs with `optimizer`. */
export function glyphTraining(optimizer: Optimizer, rng: Rng, iterations: number, what: string) {
  const [layerRng, trainRng, testRng] = [rng.fork(), rng.fork(), rng.fork()];
  const layers = [denseDouble(64, 32, layerRng), new ReluDouble(), denseDouble(32, 10, layerRng)];
  const flat = (x: Tensor): Tensor => new Tensor([x.shape[0], 64], x.data);
  const losses = glyphTrainingLosses(layers, optimizer, trainRng, iterations, 24, flat);
  const test = digitGlyphs(testRng, 200);
  let scores = flat(test.x);
  for (const layer of layers) scores = layer.forward(scores);
  return {
    scores: tensorData(scores, `the network trained with ${what}`),
    labels: test.labels,
    firstLosses: losses.slice(0, 10),
    lastLosses: losses.slice(-10),
  };
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/** The checks every optimizer passes: laws, the reference trajectory, defaults, refusals and training. */
export function optimizerChecks<O extends Optimizer>(spec: OptimizerSpec<O>): AnyCheck[] {
  const { name } = spec;
  const { problem } = spec.reference;
  const reference = referenceCase(spec.reference, name);
  const hyperText = (hyper: Hyper): string => JSON.stringify(hyper);
  // The checks below that compare one run with another first make sure the steps moved at all.
  const expectMoved = (first: readonly TensorData[]): void => {
    if (first[0].data.every((v, i) => v === problem.start.weight[i]))
      fail(`${name}.step on a nonzero gradient left the weight where it was`);
  };
  /** Every parameter after every step of `received` against the same of `expected`, to 1e-12. */
  const expectSameSteps = (
    received: readonly (readonly TensorData[])[],
    expected: readonly (readonly TensorData[])[],
    message: (parameter: string, step: number) => string,
  ): void =>
    expected.forEach((values, step) => {
      values.forEach((value, p) => {
        expectClose(received[step][p], value, 1e-12, message(PROBLEM_NAMES[p], step + 1));
      });
    });
  return [
    property({
      title: 'a zero gradient from a fresh state changes nothing',
      run: (rng) =>
        drawSamples(fc.array(finite(), { minLength: 1, maxLength: 6 }), rng, 30).map((w) => {
          const parameter = new Parameter('weight', new Tensor([w.length], Float64Array.from(w)), 'weight');
          spec.make(spec.still ?? reference.hyper).step([parameter]);
          return { before: w, after: tensorData(parameter.value, `${name}.step`) };
        }),
      verify: (samples) =>
        samples.forEach(({ before, after }, i) => {
          expectClose(
            after,
            { shape: [before.length], data: before },
            0,
            `sample ${i}: ${name}.step with ∂L/∂w = 0 from a fresh state (velocities and moments start at 0)`,
          );
        }),
      hiddenRerun: true,
    }),
    property({
      title:
        'six steps with hyper-parameters, shapes and gradients drawn from the seed (some 0, some tiny) and a regularizer follow the rule',
      weight: 2,
      run: (rng) => {
        const hyper = spec.randomHyper(rng);
        const alpha = rng.uniformIn(0.01, 0.5);
        const [rows, columns] = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
        const parameters = [
          new Parameter('weight', rng.normalTensor([rows, columns]), 'weight'),
          new Parameter('bias', rng.normalTensor([columns]), 'bias'),
          new Parameter('gamma', rng.normalTensor([2]), 'scale'),
        ];
        const start = parameters.map((parameter) => Array.from(parameter.value.data));
        const optimizer = spec.make({ ...hyper, regularizer: l2Double(alpha) });
        const grads: number[][][] = [];
        const after: TensorData[][] = [];
        for (let step = 0; step < 6; step++) {
          const stepGrads = parameters.map((parameter) => {
            // Gradients from 1e-6 to 3: with tiny ones, where ε sits matters.
            const grad = rng.normalTensor(parameter.value.shape, 0, 10 ** rng.uniformIn(-6, 0.5));
            if (step % 2 === 1) grad.data[rng.int(grad.size)] = 0;
            parameter.grad = grad;
            return Array.from(grad.data);
          });
          optimizer.step(parameters);
          grads.push(stepGrads);
          after.push(valuesOf(parameters, `${name}.step`));
        }
        return { hyper, alpha, roles: parameters.map((parameter) => parameter.role as Role), start, grads, after };
      },
      verify: ({ hyper, alpha, roles, start, grads, after }) => {
        const definition = new OptimizerDefinition(name, hyper, alpha);
        let values: number[][] = start;
        grads.forEach((stepGrads, step) => {
          values = definition.step(values, stepGrads, roles);
          values.forEach((value, p) => {
            expectClose(
              after[step][p],
              { shape: after[step][p].shape, data: value },
              1e-9,
              `${name}(${hyperText(hyper)}) with an L2 regularizer (α = ${alpha.toPrecision(4)}): the ${roles[p]} after step ${step + 1}; the rule is ${spec.rule}, state kept per parameter`,
            );
          });
        });
      },
      hiddenRerun: true,
    }),
    property({
      title: 'takes {regularizer} and applies it to weights only: w ← step(w, g) − η·∇R(w_old) (DESIGN §3)',
      run: () => {
        const withScale = (): Parameter[] => [
          ...problemParameters(problem),
          new Parameter('gamma', new Tensor([2], Float64Array.of(1.5, -0.5)), 'scale'),
        ];
        const [plain, regularized] = [withScale(), withScale()];
        for (const parameters of [plain, regularized]) {
          setProblemGradients(parameters.slice(0, 2), problem);
          parameters[2].accumulate(new Tensor([2], Float64Array.of(0.3, -2)));
        }
        const start = valuesOf(plain, 'the start');
        const optimizer = spec.make({ ...reference.hyper, regularizer: l2Double(0.25) });
        spec.make(reference.hyper).step(plain);
        optimizer.step(regularized);
        return {
          lr: reference.hyper.lr,
          start,
          plain: valuesOf(plain, `${name}.step`),
          regularized: valuesOf(regularized, `${name}.step`),
        };
      },
      verify: ({ lr, start, plain, regularized }) => {
        // l2Double(0.25): ∇R(w) = 0.5·w.
        const expected = { shape: plain[0].shape, data: plain[0].data.map((v, i) => v - lr * 0.5 * start[0].data[i]) };
        expectClose(
          regularized[0],
          expected,
          1e-12,
          `${name}.step with { regularizer }: the weight must end at step(w, g) − η·∇R(w_old) (BaseOptimizer applies it after your update)`,
        );
        expectClose(regularized[1], plain[1], 0, `${name}.step with { regularizer }: a bias is never regularized`);
        expectClose(
          regularized[2],
          plain[2],
          0,
          `${name}.step with { regularizer }: a normalisation scale (role 'scale') is never regularized`,
        );
      },
    }),
    property({
      title: 'two optimizers used in turn keep their own state (velocities, moments, step counts)',
      run: () => {
        const [first, second] = [spec.make(reference.hyper), spec.make(reference.hyper)];
        const [a, b] = [problemParameters(problem), problemParameters(problem)];
        const afterA: TensorData[][] = [];
        const afterB: TensorData[][] = [];
        for (let step = 0; step < 3; step++) {
          afterA.push(problemRun(first, problem, 1, `${name}.step (first optimizer)`, a)[0]);
          afterB.push(problemRun(second, problem, 1, `${name}.step (second optimizer)`, b)[0]);
        }
        const late = problemRun(spec.make(reference.hyper), problem, 1, `${name}.step (a third optimizer, made later)`);
        return { afterA, afterB, late };
      },
      verify: ({ afterA, afterB, late }) => {
        // Compared with each other, not with the rule (other checks judge the arithmetic): any state shared
        // between optimizers makes the three disagree.
        const hint =
          'keep velocities, moments and step counts in the per-parameter state map (or on this optimizer), never in a module-level or static variable';
        expectMoved(afterA[0]);
        expectSameSteps(
          afterB,
          afterA,
          (parameter, step) =>
            `the second of two ${name}s stepping in turn on the same problem must follow the first: ${parameter} after step ${step} (${hint})`,
        );
        expectSameSteps(
          late,
          afterA.slice(0, 1),
          (parameter) =>
            `a ${name} made after two others have stepped must take the same first step: ${parameter} (${hint})`,
        );
      },
    }),
    knownValue({
      title: 'follows the reference trajectory for 5 steps (tests/ex2/reference/optimizer_trajectories.py)',
      weight: 2,
      run: () => problemRun(spec.make(reference.hyper), problem, 5, `${name}.step`),
      verify: (after) =>
        expectTrajectory(
          after,
          reference.trajectory,
          1e-12,
          `${name}(${hyperText(reference.hyper)}) against the independent reference script (tests/ex2/reference/optimizer_trajectories.py); the rule is ${spec.rule}`,
        ),
    }),
    knownValue({
      title: `defaults: ${Object.entries(spec.defaults.hyper)
        .map(([key, value]) => `${key} = ${value < 1e-3 ? value.toExponential() : value}`)
        .join(', ')} (${spec.defaults.source}), and the update uses them`,
      run: () => {
        const optimizer = spec.makeDefault();
        // The steps first: on the stub this fails with NotImplementedError rather than scoring for given code.
        const after = problemRun(optimizer, problem, 3, `${name}.step`);
        return {
          hyper: spec.readHyper(optimizer),
          after,
          explicit: problemRun(spec.make(spec.defaults.hyper), problem, 3, `${name}.step`),
        };
      },
      verify: ({ hyper, after, explicit }) => {
        expect(hyper, `the hyper-parameters a ${name} made with its defaults holds`).toEqual(spec.defaults.hyper);
        // Compared with the same optimizer given these values explicitly (other checks judge the arithmetic).
        expectMoved(after[0]);
        expectSameSteps(
          after,
          explicit,
          (parameter, step) =>
            `a ${name} made with its defaults must step like one given ${hyperText(spec.defaults.hyper)}: ${parameter} after step ${step}`,
        );
      },
    }),
    badInput({
      title: `rejects bad hyper-parameters (${spec.refusals.map((refusal) => hyperText(refusal.options)).join(', ')})`,
      run: () => {
        // A valid step first: on the stub this fails with NotImplementedError rather than scoring for given code.
        const moved = problemRun(spec.make(reference.hyper), problem, 1, `${name}.step`)[0];
        const errors: (ErrorData | null)[] = spec.refusals.map((refusal) => thrown(() => spec.make(refusal.options)));
        return { moved, errors };
      },
      verify: ({ moved, errors }) => {
        expectMoved(moved);
        spec.refusals.forEach((refusal, i) => {
          expectError(errors[i], ValueError.name, `new ${name}(${hyperText(refusal.options)})`, [refusal.mentions]);
        });
      },
    }),
    training({
      title: `trains a 64 → 32 → 10 network (test-local layers) on digit glyphs to ≥ ${spec.training.accuracy} test accuracy in ${spec.training.iterations} steps`,
      run: (rng) =>
        glyphTraining(
          spec.make(spec.training.hyper),
          rng,
          spec.training.iterations,
          `${name}(${hyperText(spec.training.hyper)})`,
        ),
      verify: ({ scores, labels, firstLosses, lastLosses }) => {
        const accuracy = accuracyOf(scores, labels);
        expect(
          mean(lastLosses),
          `the training loss should fall with ${name}(${hyperText(spec.training.hyper)}); it went from ${mean(firstLosses).toFixed(3)} to ${mean(lastLosses).toFixed(3)}`,
        ).toBeLessThan(0.5 * mean(firstLosses));
        expect(
          accuracy,
          `test accuracy on 200 held-out digit glyphs after ${spec.training.iterations} ${name} steps (chance is 0.1)`,
        ).toBeGreaterThanOrEqual(spec.training.accuracy);
      },
      matchReference: false,
    }),
  ];
}

/**
 * Run side, for a law under a constant gradient: `steps` steps of `optimizer` on a weight, a bias and a
 * scale that each see the same gradient at every step; the values before and after each step.
 */
export function constantGradientRun(
  optimizer: Optimizer,
  start: readonly (readonly number[])[],
  gradients: readonly (readonly number[])[],
  steps: number,
  what: string,
) {
  const roles: Role[] = ['weight', 'bias', 'scale'];
  const parameters = start.map(
    (values, p) => new Parameter(roles[p], new Tensor([values.length], Float64Array.from(values)), roles[p]),
  );
  const values: TensorData[][] = [valuesOf(parameters, 'the start')];
  for (let step = 0; step < steps; step++) {
    parameters.forEach((parameter, p) => {
      parameter.zeroGrad();
      parameter.accumulate(new Tensor(parameter.value.shape, Float64Array.from(gradients[p])));
    });
    optimizer.step(parameters);
    values.push(valuesOf(parameters, what));
  }
  return { roles, gradients: gradients.map((g) => [...g]), values };
}

/** One sample of a momentum law: a weight from 0 under the constant gradient g, before and after step k. */
export interface ConstantGradientStep {
  readonly g: number;
  readonly lr: number;
  readonly mu: number;
  readonly k: number;
  readonly previous: number;
  readonly after: number;
}

/**
 * Run side, for a momentum law under a constant gradient (SgdMomentum, Nesterov): 40 draws of
 * g ∈ [−5, 5], μ ∈ [0, 0.95] and k ∈ 1…12; each steps `make({ lr: 0.1, momentum: μ })` k times on one
 * weight from 0 that sees g at every step, and keeps the weight before and after step k (the test file
 * judges the step with its own rule).
 */
export function momentumStepsUnderConstantGradient(
  make: (hyper: { lr: number; momentum: number }) => Optimizer,
  rng: Rng,
  what: string,
): ConstantGradientStep[] {
  const lr = 0.1;
  return drawSamples(
    fc.tuple(
      fc.integer({ min: -500, max: 500 }).map((n) => n / 100),
      fc.integer({ min: 0, max: 95 }).map((n) => n / 100),
      fc.integer({ min: 1, max: 12 }),
    ),
    rng,
    40,
  ).map(([g, mu, k]) => {
    const parameter = new Parameter('weight', new Tensor([1], Float64Array.of(0)), 'weight');
    const optimizer = make({ lr, momentum: mu });
    let previous = 0;
    for (let step = 0; step < k; step++) {
      parameter.zeroGrad();
      parameter.accumulate(new Tensor([1], Float64Array.of(g)));
      previous = tensorData(parameter.value, what).data[0];
      optimizer.step([parameter]);
    }
    return { g, lr, mu, k, previous, after: tensorData(parameter.value, what).data[0] };
  });
}
