import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import fc from 'fast-check';
import { Parameter, Rng, Tensor, type BaseOptimizer, type Optimizer, type OptimizerOptions, type Regularizer } from '../../framework/index.js';
import { DenseDouble, ReluDouble, trainOnDigits } from './cnn-doubles.js';
import { assertProperty, finite } from './property.js';

/**
 * Shared checks for the optimizer tests: the trajectory from tests/ex2/reference (computed by an
 * independent Python script committed beside it), a short seeded training run, and the checks every
 * optimizer passes alike (a zero gradient changes nothing; {regularizer} reaches the weights only).
 */
interface Reference {
  problem: { start: Record<string, number[]>; curvature: Record<string, number[]>; target: Record<string, number[]>; steps: number };
  cases: Record<string, { hyper: Record<string, number>; trajectory: Record<string, number[]>[] }>;
}

export const reference: Reference = JSON.parse(readFileSync(new URL('../ex2/reference/optimizer-trajectories.json', import.meta.url), 'utf8')) as Reference;

/** The test problem's parameters at their start values: a weight [4] and a bias [2]. */
export function problemParameters(): Parameter[] {
  return [new Parameter('weight', new Tensor([4], Float64Array.from(reference.problem.start.weight)), 'weight'), new Parameter('bias', new Tensor([2], Float64Array.from(reference.problem.start.bias)), 'bias')];
}

/** grad ← a ⊙ (p − c) for L = ½ Σ a (p − c)², at the current values. */
export function setProblemGradients(parameters: readonly Parameter[]): void {
  for (const parameter of parameters) {
    const a = reference.problem.curvature[parameter.name];
    const c = reference.problem.target[parameter.name];
    parameter.zeroGrad();
    parameter.accumulate(new Tensor(parameter.value.shape, parameter.value.data.map((p, i) => a[i] * (p - c[i]))));
  }
}

/** Runs `optimizer` for the reference's 5 steps and compares every value after every step. */
export function expectReferenceTrajectory(optimizer: Optimizer, caseName: string): void {
  const parameters = problemParameters();
  const { trajectory } = reference.cases[caseName];
  trajectory.forEach((expected, step) => {
    setProblemGradients(parameters);
    optimizer.step(parameters);
    for (const parameter of parameters) {
      const got = Array.from(parameter.value.data);
      got.forEach((value, i) => {
        expect(Math.abs(value - expected[parameter.name][i]), `${caseName}: after step ${step + 1}, ${parameter.name}[${i}] is ${value}, the reference script (tests/ex2/reference/optimizer_trajectories.py) gives ${expected[parameter.name][i]}`).toBeLessThan(1e-12 * (1 + Math.abs(expected[parameter.name][i])));
      });
    }
  });
}

/** A test-local L2 penalty α·Σw² (gradient 2αw), to check that an optimizer passes {regularizer} on. */
export function l2Double(alpha: number): Regularizer {
  return {
    name: 'L2Double',
    gradient: (w) => new Tensor(w.shape, w.data.map((v) => 2 * alpha * v)),
    norm: (w) => alpha * Array.from(w.data).reduce((sum, v) => sum + v * v, 0),
  };
}

/** Test accuracy of a 64 → 32 → 10 ReLU network (test-local layers) trained on flat Digits with `optimizer`. */
export function digitsMlpAccuracy(optimizer: Optimizer, iterations = 150): number {
  const rng = new Rng(17);
  return trainOnDigits([new DenseDouble(64, 32, rng), new ReluDouble(), new DenseDouble(32, 10, rng)], optimizer, { iterations, batchSize: 32, seed: 23, flat: true });
}

/**
 * One step on a fixed nonzero gradient must move the weights. Tests of an optimizer's given parts
 * (defaults, argument checks) call it first, so they score only once the student's update works:
 * on the stub it throws NotImplementedError, as every public test must (tests/tools/kit-handout-run.test.ts).
 */
export function expectOneStepMoves(optimizer: Optimizer, what: string): void {
  const parameter = new Parameter('weight', new Tensor([2], Float64Array.from([1, -1])), 'weight');
  parameter.accumulate(new Tensor([2], Float64Array.from([0.5, -0.25])));
  optimizer.step([parameter]);
  expect(Array.from(parameter.value.data), `${what}.step on a nonzero gradient`).not.toEqual([1, -1]);
}

/** Property: from a fresh state, a step on ∂L/∂w = 0 leaves any weights exactly as they are. */
export function expectZeroGradientChangesNothing(make: () => Optimizer, name: string): void {
  assertProperty(
    fc.property(fc.array(finite(), { minLength: 1, maxLength: 6 }), (w) => {
      const parameter = new Parameter('weight', new Tensor([w.length], Float64Array.from(w)), 'weight');
      make().step([parameter]);
      expect(Array.from(parameter.value.data), `${name}.step with ∂L/∂w = 0`).toEqual(w);
    }),
  );
}

/**
 * The regularizer hook (DESIGN §3): with {regularizer} the weight ends at step(w, g) − η·∇R(w_old),
 * the bias where it would be without one. `make` builds the optimizer with the options it is given.
 */
export function expectRegularizerOnWeightsOnly(make: (options: OptimizerOptions) => BaseOptimizer): void {
  const plain = problemParameters();
  const regularized = problemParameters();
  setProblemGradients(plain);
  setProblemGradients(regularized);
  make({}).step(plain);
  const withPenalty = make({ regularizer: l2Double(0.25) });
  withPenalty.step(regularized);
  const start = problemParameters();
  // l2Double(0.25) has ∇R(w) = 0.5·w.
  Array.from(regularized[0].value.data).forEach((v, i) => expect(v, `weight[${i}]`).toBeCloseTo(plain[0].value.data[i] - withPenalty.learningRate * 0.5 * start[0].value.data[i], 12));
  expect(Array.from(regularized[1].value.data), 'the bias is not regularized').toEqual(Array.from(plain[1].value.data));
}
