import { matmul, Parameter, scale, sub, transpose, type Regularizer, type Rng } from '../../framework/index.js';
import { fail, tensorData, type TensorData } from '../harness/index.js';
import { PlainSgd } from './test-optimizers.js';

/**
 * A seeded linear regression trained by gradient descent with a weight penalty (L1 or L2): the check
 * records every step, so verify can re-derive each one from the weights before it instead of comparing
 * with a reference run (a tiny difference near w = 0 would otherwise flip a sign and grow).
 */
export interface RegularizedTrajectory {
  readonly lr: number;
  readonly alpha: number;
  /** The weights before step 0, 1, … and after the last step ([10, 1] each). */
  readonly weights: TensorData[];
  /** The data gradient ∂L/∂w of each step (the kit's, ½·mean squared error). */
  readonly gradients: TensorData[];
}

/** 30 examples of 10 features, a random true weight vector; `steps` steps of PlainSgd (lr 0.05) with `make(α)`. */
export function regularizedRegression(
  rng: Rng,
  make: (alpha: number) => Regularizer,
  alpha = rng.uniformIn(0.05, 0.3),
  steps = 100,
): RegularizedTrajectory {
  const samples = 30;
  const lr = 0.05;
  const x = rng.normalTensor([samples, 10]);
  const y = matmul(x, rng.normalTensor([10, 1]));
  const weight = new Parameter('weight', rng.normalTensor([10, 1]), 'weight');
  const optimizer = new PlainSgd({ lr, regularizer: make(alpha) });
  const weights: TensorData[] = [tensorData(weight.value, 'the start weights')];
  const gradients: TensorData[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad([weight]);
    const gradient = scale(matmul(transpose(x), sub(matmul(x, weight.value), y)), 1 / samples);
    weight.accumulate(gradient);
    gradients.push(tensorData(gradient, 'the data gradient'));
    optimizer.step([weight]);
    weights.push(tensorData(weight.value, `the weights after step ${step}`));
  }
  return { lr, alpha, weights, gradients };
}

/**
 * Each step is w ← w − η·g − η·α·penalty(w_old), element by element; the first wrong step and element
 * is named with what came and what was expected.
 */
export function verifyRegularizedSteps(
  trajectory: RegularizedTrajectory,
  penalty: (w: number) => number,
  regularizer: string,
  formula: string,
): void {
  const { lr, alpha, weights, gradients } = trajectory;
  if (weights.length !== gradients.length + 1 || gradients.length === 0)
    fail(`expected one gradient per step, received ${gradients.length} gradients and ${weights.length} weight vectors`);
  gradients.forEach((g, step) => {
    const before = weights[step].data;
    const after = weights[step + 1].data;
    before.forEach((w, i) => {
      const expected = w - lr * g.data[i] - lr * alpha * penalty(w);
      if (!(Math.abs(after[i] - expected) <= 1e-12 * (1 + Math.abs(expected)))) {
        fail(
          `step ${step} with ${regularizer}(α = ${alpha}), lr ${lr}: weight ${i} went from ${w} to ${after[i]}, expected ${expected} = w − η·∂L/∂w − η·${formula}` +
            ` (the optimizer subtracts η·gradient(w_old); look at ${regularizer}.gradient for w = ${w})`,
        );
      }
    });
  });
}
