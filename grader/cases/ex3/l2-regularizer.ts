import { L2Regularizer } from '#impl/regularizers/l2-regularizer.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray } from '../../../framework/tensor/create.js';
import { SgdDouble } from '../../case-doubles.js';
import { errorName, numberData, parameterData, publicCases, tensorData } from '../../case-api.js';

/** L2Regularizer: norm(w) = α·Σw², gradient(w) = α·w (seed 004: 3648, 3659). */
function normAndGradient(regularizer: L2Regularizer, weights: ReturnType<typeof fromArray>) {
  return { norm: numberData(regularizer.norm(weights), 'L2Regularizer.norm'), gradient: tensorData(regularizer.gradient(weights), 'L2Regularizer.gradient') };
}

export default publicCases('ex3', 'L2Regularizer', [
  {
    id: 'l2-known-values',
    title: 'α = 0.1 on [[1, −2], [0, 3]]: norm α·Σw² and gradient α·w',
    run: () => normAndGradient(new L2Regularizer(0.1), fromArray([[1, -2], [0, 3]])),
  },
  {
    id: 'l2-random-weights',
    title: 'norm and gradient of random weights of both signs, α = 0.3',
    run: () => {
      const weights = new Rng(3).uniformTensor([3, 4], -2, 2);
      weights.data[5] = 0;
      return normAndGradient(new L2Regularizer(0.3), weights);
    },
  },
  {
    id: 'l2-sgd-step-weights-only',
    title: 'one SGD step (a test double) with L2Regularizer(0.2), lr 0.1: the penalty comes from the weights before the step and only for role "weight"',
    weight: 2,
    run: () => {
      const roles = ['weight', 'bias', 'scale', 'shift'] as const;
      const parameters = roles.map((role) => new Parameter(role, fromArray([[0.5, -1.5], [2, 0]]), role));
      for (const parameter of parameters) parameter.grad = fromArray([[1, 1], [-1, 2]]);
      new SgdDouble(0.1, { regularizer: new L2Regularizer(0.2) }).step(parameters);
      return parameterData(parameters, 'SgdDouble.step with L2Regularizer');
    },
  },
  {
    id: 'l2-zero-alpha-and-refusals',
    title: 'α = 0 is no penalty; a negative or non-finite α is refused with a ValueError',
    run: () => ({
      zero: normAndGradient(new L2Regularizer(0), fromArray([1, -2, 0])),
      negative: errorName(() => new L2Regularizer(-1)),
      notFinite: errorName(() => new L2Regularizer(Number.NaN)),
    }),
  },
]);
