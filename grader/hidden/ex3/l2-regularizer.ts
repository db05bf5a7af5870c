import { L2Regularizer } from '#impl/regularizers/l2-regularizer.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { matmul, transpose } from '../../../framework/ops/linalg.js';
import { scale, sub } from '../../../framework/ops/arithmetic.js';
import { SgdDouble } from '../../case-doubles.js';
import { hiddenCases, intIn, numberData, parameterData, tensorData } from '../../case-api.js';

export default hiddenCases('ex3', 'L2Regularizer', [
  {
    id: 'l2-hidden-random',
    title: 'norm and gradient for random shapes, weights (some exactly 0) and α',
    points: 3,
    run: (rng) => [0, 1].map(() => {
      const weights = rng.normalTensor([intIn(rng, 1, 5), intIn(rng, 1, 5)], 0, 2);
      weights.data[rng.int(weights.size)] = 0;
      const regularizer = new L2Regularizer(rng.uniformIn(0, 2));
      return { norm: numberData(regularizer.norm(weights), 'L2Regularizer.norm'), gradient: tensorData(regularizer.gradient(weights), 'L2Regularizer.gradient') };
    }),
  },
  {
    id: 'l2-hidden-regularized-regression',
    title: 'gradient descent on a seeded linear regression with the penalty: the weights after 150 steps',
    points: 2,
    run: (rng) => {
      const samples = 30;
      const x = rng.normalTensor([samples, 10]);
      const y = matmul(x, rng.normalTensor([10, 1]));
      const weight = new Parameter('weight', rng.normalTensor([10, 1]), 'weight');
      const optimizer = new SgdDouble(0.05, { regularizer: new L2Regularizer(rng.uniformIn(0.05, 0.3)) });
      for (let step = 0; step < 150; step++) {
        weight.grad = scale(matmul(transpose(x), sub(matmul(x, weight.value), y)), 1 / samples);
        optimizer.step([weight]);
      }
      return parameterData([weight], 'SgdDouble.step with L2Regularizer');
    },
  },
]);
