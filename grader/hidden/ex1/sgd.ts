import { Sgd } from '#impl/optimizers/sgd.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { L2Double } from '../../case-doubles.js';
import { hiddenCases, intIn, parameterData } from '../../case-api.js';

export default hiddenCases('ex1', 'Sgd', [
  {
    id: 'sgd-hidden-random-steps',
    title: 'three steps with random gradients and learning rate',
    points: 3,
    run: (rng) => {
      const shape = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
      const weight = new Parameter('weight', rng.normalTensor(shape));
      const sgd = new Sgd({ lr: rng.uniformIn(0.01, 1) });
      for (let step = 0; step < 3; step++) {
        weight.grad = rng.normalTensor(shape);
        sgd.step([weight]);
      }
      return parameterData([weight], 'Sgd.step');
    },
  },
  {
    id: 'sgd-hidden-with-regularizer',
    title: 'a step with an L2 regularizer: weights decay, biases do not',
    points: 2,
    run: (rng) => {
      const weight = new Parameter('weight', rng.normalTensor([3, 2]));
      const bias = new Parameter('bias', rng.normalTensor([2]), 'bias');
      weight.grad = rng.normalTensor([3, 2]);
      bias.grad = rng.normalTensor([2]);
      new Sgd({ lr: 0.1, regularizer: new L2Double(0.05) }).step([weight, bias]);
      return parameterData([weight, bias], 'Sgd.step');
    },
  },
]);
