import { AdaGrad } from '#impl/optimizers/adagrad.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { tensor } from '../../../framework/tensor/create.js';
import { L2Double, QuadraticProblem } from '../../case-doubles.js';
import { errorName, parameterData, publicCases } from '../../case-api.js';

/** AdaGrad: r ← r + g², w ← w − η·g/(√r + ε) (seed 004: 2475–2479). */
function trajectory(optimizer: AdaGrad, steps: number) {
  const parameters = QuadraticProblem.parameters();
  const after = [];
  for (let step = 0; step < steps; step++) {
    QuadraticProblem.setGradients(parameters);
    optimizer.step(parameters);
    after.push(parameterData(parameters, 'AdaGrad.step'));
  }
  return after;
}

export default publicCases('ex2', 'AdaGrad', [
  {
    id: 'adagrad-trajectory',
    title: 'the weight and bias after each of 5 steps on the optimizer tests\' quadratic, { lr: 0.5, eps: 1e-7 } (tests/ex2/reference)',
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => trajectory(new AdaGrad({ lr: 0.5, eps: 1e-7 }), 5),
  },
  {
    id: 'adagrad-regularizer-weights-only',
    title: 'with { regularizer }: w ← step(w, g) − η·∇R(w_old) for weights, biases untouched (DESIGN §3)',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const hyper = { lr: 0.5, eps: 1e-7 };
      return trajectory(new AdaGrad({ ...hyper, regularizer: new L2Double(0.25) }), 2);
    },
  },
  {
    id: 'adagrad-defaults-and-refusals',
    title: 'the defaults η = 0.01, ε = 1e-7; a zero gradient from a fresh state changes nothing; bad hyper-parameters are refused',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const still = new Parameter('weight', tensor([0.5, -2, 3], [3]), 'weight');
      new AdaGrad({}).step([still]);
      return {
        defaults: trajectory(new AdaGrad({}), 3),
        zeroGradient: parameterData([still], 'AdaGrad.step'),
        refusals: {
          negativeLearningRate: errorName(() => new AdaGrad({ lr: -1 })),
          epsZero: errorName(() => new AdaGrad({ eps: 0 })),
        },
      };
    },
  },
]);
