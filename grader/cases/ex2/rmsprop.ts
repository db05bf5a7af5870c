import { RMSProp } from '#impl/optimizers/rmsprop.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { tensor } from '../../../framework/tensor/create.js';
import { L2Double, QuadraticProblem } from '../../case-doubles.js';
import { errorName, parameterData, publicCases } from '../../case-api.js';

/** RMSProp: r ← ρ·r + (1 − ρ)·g², w ← w − η·g/(√r + ε) (seed 004: 2491–2495). */
function trajectory(optimizer: RMSProp, steps: number) {
  const parameters = QuadraticProblem.parameters();
  const after = [];
  for (let step = 0; step < steps; step++) {
    QuadraticProblem.setGradients(parameters);
    optimizer.step(parameters);
    after.push(parameterData(parameters, 'RMSProp.step'));
  }
  return after;
}

export default publicCases('ex2', 'RMSProp', [
  {
    id: 'rmsprop-trajectory',
    title: 'the weight and bias after each of 5 steps on the optimizer tests\' quadratic, { lr: 0.01, rho: 0.9, eps: 1e-6 } (tests/ex2/reference)',
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => trajectory(new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-6 }), 5),
  },
  {
    id: 'rmsprop-regularizer-weights-only',
    title: 'with { regularizer }: w ← step(w, g) − η·∇R(w_old) for weights, biases untouched (DESIGN §3)',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const hyper = { lr: 0.01, rho: 0.9, eps: 1e-6 };
      return trajectory(new RMSProp({ ...hyper, regularizer: new L2Double(0.25) }), 2);
    },
  },
  {
    id: 'rmsprop-defaults-and-refusals',
    title: 'the defaults ρ = 0.9, η = 0.001, ε = 1e-6; a zero gradient from a fresh state changes nothing; bad hyper-parameters are refused',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const still = new Parameter('weight', tensor([0.5, -2, 3], [3]), 'weight');
      new RMSProp({}).step([still]);
      return {
        defaults: trajectory(new RMSProp({}), 3),
        zeroGradient: parameterData([still], 'RMSProp.step'),
        refusals: {
          negativeLearningRate: errorName(() => new RMSProp({ lr: -1 })),
          rhoOne: errorName(() => new RMSProp({ rho: 1 })),
          epsZero: errorName(() => new RMSProp({ eps: 0 })),
        },
      };
    },
  },
]);
