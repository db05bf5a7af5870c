import { Sgd } from '#impl/optimizers/sgd.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { tensor } from '../../../framework/tensor/create.js';
import { parameterData, publicCases } from '../../case-api.js';

export default publicCases('ex1', 'Sgd', [
  {
    id: 'sgd-one-step-known-values',
    title: 'one step: w ← w − η·∇w with η = 0.1',
    run: () => {
      const weight = new Parameter('weight', tensor([1, 2, 3], [3]));
      weight.grad = tensor([0.5, -1, 2], [3]);
      new Sgd({ lr: 0.1 }).step([weight]);
      return parameterData([weight], 'Sgd.step');
    },
  },
  {
    id: 'sgd-two-steps-two-parameters',
    title: 'two steps on a weight and a bias',
    run: () => {
      const weight = new Parameter('weight', tensor([1, -1, 0.5, 2], [2, 2]));
      const bias = new Parameter('bias', tensor([0, 1], [2]), 'bias');
      const sgd = new Sgd({ lr: 0.5 });
      for (const scale of [1, -2]) {
        weight.grad = tensor([scale, 0, -scale, 1], [2, 2]);
        bias.grad = tensor([scale, scale], [2]);
        sgd.step([weight, bias]);
      }
      return parameterData([weight, bias], 'Sgd.step');
    },
  },
]);
