import { AdamW } from '#impl/optimizers/adamw.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { tensor } from '../../../framework/tensor/create.js';
import { L2Double, QuadraticProblem } from '../../case-doubles.js';
import { errorName, parameterData, publicCases } from '../../case-api.js';

/** AdamW: Adam plus the decoupled decay −η·λ·w_old on weights only (seed 000: 1574–1582). */
function trajectory(optimizer: AdamW, steps: number) {
  const parameters = QuadraticProblem.parameters();
  const after = [];
  for (let step = 0; step < steps; step++) {
    QuadraticProblem.setGradients(parameters);
    optimizer.step(parameters);
    after.push(parameterData(parameters, 'AdamW.step'));
  }
  return after;
}

export default publicCases('ex2', 'AdamW', [
  {
    id: 'adamw-trajectory',
    title: 'the weight and bias after each of 5 steps on the optimizer tests\' quadratic, { lr: 0.1, weightDecay: 0.5 } (tests/ex2/reference)',
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => trajectory(new AdamW({ lr: 0.1, weightDecay: 0.5 }), 5),
  },
  {
    id: 'adamw-regularizer-weights-only',
    title: 'with { regularizer }: w ← step(w, g) − η·∇R(w_old) for weights, biases untouched (DESIGN §3)',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const hyper = { lr: 0.1, weightDecay: 0.5 };
      return trajectory(new AdamW({ ...hyper, regularizer: new L2Double(0.25) }), 2);
    },
  },
  {
    id: 'adamw-defaults-and-refusals',
    title: 'the defaults η = 1e-3, λ = 0.01; a zero gradient from a fresh state changes nothing; bad hyper-parameters are refused',
    compare: { kind: 'close', tolerance: 1e-8 },
    run: () => {
      const still = new Parameter('weight', tensor([0.5, -2, 3], [3]), 'weight');
      new AdamW({}).step([still]);
      return {
        defaults: trajectory(new AdamW({}), 3),
        zeroGradient: parameterData([still], 'AdamW.step'),
        refusals: {
          negativeLearningRate: errorName(() => new AdamW({ lr: -1 })),
          negativeWeightDecay: errorName(() => new AdamW({ weightDecay: -0.5 })),
        },
      };
    },
  },
]);
