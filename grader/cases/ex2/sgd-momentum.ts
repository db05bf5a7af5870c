import { SgdMomentum } from '#impl/optimizers/sgd-momentum.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { tensor } from '../../../framework/tensor/create.js';
import { L2Double, QuadraticProblem } from '../../case-doubles.js';
import { errorName, parameterData, publicCases } from '../../case-api.js';

/** SgdMomentum: v ← μ·v − η·g, w ← w + v (seed 004: 2435). */
function trajectory(optimizer: SgdMomentum, steps: number) {
  const parameters = QuadraticProblem.parameters();
  const after = [];
  for (let step = 0; step < steps; step++) {
    QuadraticProblem.setGradients(parameters);
    optimizer.step(parameters);
    after.push(parameterData(parameters, 'SgdMomentum.step'));
  }
  return after;
}

export default publicCases('ex2', 'SgdMomentum', [
  {
    id: 'sgd-momentum-trajectory',
    title: 'the weight and bias after each of 5 steps on the optimizer tests\' quadratic, { lr: 0.1, momentum: 0.9 } (tests/ex2/reference)',
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => trajectory(new SgdMomentum({ lr: 0.1, momentum: 0.9 }), 5),
  },
  {
    id: 'sgd-momentum-regularizer-weights-only',
    title: 'with { regularizer }: w ← step(w, g) − η·∇R(w_old) for weights, biases untouched (DESIGN §3)',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const hyper = { lr: 0.1, momentum: 0.9 };
      return trajectory(new SgdMomentum({ ...hyper, regularizer: new L2Double(0.25) }), 2);
    },
  },
  {
    id: 'sgd-momentum-defaults-and-refusals',
    title: 'the default μ = 0.9; a zero gradient from a fresh state changes nothing; bad hyper-parameters are refused',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const still = new Parameter('weight', tensor([0.5, -2, 3], [3]), 'weight');
      new SgdMomentum({ lr: 0.1 }).step([still]);
      return {
        defaults: trajectory(new SgdMomentum({ lr: 0.1 }), 3),
        zeroGradient: parameterData([still], 'SgdMomentum.step'),
        refusals: {
          negativeLearningRate: errorName(() => new SgdMomentum({ lr: -1 })),
          momentumOne: errorName(() => new SgdMomentum({ lr: 0.1, momentum: 1 })),
        },
      };
    },
  },
]);
