import { Adam } from '#impl/optimizers/adam.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { tensor } from '../../../framework/tensor/create.js';
import { L2Double, QuadraticProblem } from '../../case-doubles.js';
import { errorName, parameterData, publicCases } from '../../case-api.js';

/** Adam: bias-corrected moments, ε outside the root (seed 004: 2514–2529). */
function trajectory(optimizer: Adam, steps: number) {
  const parameters = QuadraticProblem.parameters();
  const after = [];
  for (let step = 0; step < steps; step++) {
    QuadraticProblem.setGradients(parameters);
    optimizer.step(parameters);
    after.push(parameterData(parameters, 'Adam.step'));
  }
  return after;
}

export default publicCases('ex2', 'Adam', [
  {
    id: 'adam-trajectory',
    title: 'the weight and bias after each of 5 steps on the optimizer tests\' quadratic, { lr: 0.1 } (tests/ex2/reference)',
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => trajectory(new Adam({ lr: 0.1 }), 5),
  },
  {
    id: 'adam-regularizer-weights-only',
    title: 'with { regularizer }: w ← step(w, g) − η·∇R(w_old) for weights, biases untouched (DESIGN §3)',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const hyper = { lr: 0.1 };
      return trajectory(new Adam({ ...hyper, regularizer: new L2Double(0.25) }), 2);
    },
  },
  {
    id: 'adam-defaults-and-refusals',
    title: 'the defaults η = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8; a zero gradient from a fresh state changes nothing; bad hyper-parameters are refused',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const still = new Parameter('weight', tensor([0.5, -2, 3], [3]), 'weight');
      new Adam({}).step([still]);
      return {
        defaults: trajectory(new Adam({}), 3),
        zeroGradient: parameterData([still], 'Adam.step'),
        refusals: {
          negativeLearningRate: errorName(() => new Adam({ lr: -1 })),
          beta1One: errorName(() => new Adam({ beta1: 1 })),
          beta2Negative: errorName(() => new Adam({ beta2: -0.1 })),
          epsZero: errorName(() => new Adam({ eps: 0 })),
        },
      };
    },
  },
]);
