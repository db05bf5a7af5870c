import { SgdMomentum } from '#impl/optimizers/sgd-momentum.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { L2Double } from '../../case-doubles.js';
import { hiddenCases, intIn, parameterData } from '../../case-api.js';

export default hiddenCases('ex2', 'SgdMomentum', [
  {
    id: 'sgd-momentum-hidden-random-steps',
    title: 'six steps with random hyper-parameters, shapes and gradients (some exactly 0)',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: (rng) => {
      const shape = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
      const weight = new Parameter('weight', rng.normalTensor(shape), 'weight');
      const bias = new Parameter('bias', rng.normalTensor([shape[1]]), 'bias');
      const optimizer = new SgdMomentum({ lr: rng.uniformIn(0.01, 0.5), momentum: rng.uniformIn(0, 0.95) });
      const after = [];
      for (let step = 0; step < 6; step++) {
        weight.grad = rng.normalTensor(shape, 0, rng.uniformIn(0.1, 3));
        bias.grad = rng.normalTensor([shape[1]]);
        if (step % 2 === 1) weight.grad.data[rng.int(weight.grad.size)] = 0;
        optimizer.step([weight, bias]);
        after.push(parameterData([weight, bias], 'SgdMomentum.step'));
      }
      return after;
    },
  },
  {
    id: 'sgd-momentum-hidden-regularized-roles',
    title: 'random steps with a regularizer on a weight, a bias and a batch-norm scale',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: (rng) => {
      const parameters = [
        new Parameter('weight', rng.normalTensor([intIn(rng, 1, 3), intIn(rng, 1, 3)]), 'weight'),
        new Parameter('bias', rng.normalTensor([intIn(rng, 1, 3)]), 'bias'),
        new Parameter('gamma', rng.normalTensor([2]), 'scale'),
      ];
      const optimizer = new SgdMomentum({ ...{ lr: rng.uniformIn(0.01, 0.5), momentum: rng.uniformIn(0, 0.95) }, regularizer: new L2Double(rng.uniformIn(0.01, 0.5)) });
      for (let step = 0; step < 4; step++) {
        for (const parameter of parameters) parameter.grad = rng.normalTensor(parameter.value.shape);
        optimizer.step(parameters);
      }
      return parameterData(parameters, 'SgdMomentum.step');
    },
  },
]);
