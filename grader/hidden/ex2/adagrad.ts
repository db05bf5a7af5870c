import { AdaGrad } from '#impl/optimizers/adagrad.js';
import { Parameter } from '../../../framework/nn/parameter.js';
import { L2Double } from '../../case-doubles.js';
import { hiddenCases, intIn, parameterData } from '../../case-api.js';

export default hiddenCases('ex2', 'AdaGrad', [
  {
    id: 'adagrad-hidden-random-steps',
    title: 'six steps with random hyper-parameters, shapes and gradients (some exactly 0) and a regularizer',
    points: 1,
    compare: { kind: 'close', tolerance: 1e-8 },
    run: (rng) => {
      const shape = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
      const weight = new Parameter('weight', rng.normalTensor(shape), 'weight');
      const bias = new Parameter('bias', rng.normalTensor([shape[1]]), 'bias');
      const optimizer = new AdaGrad({ ...{ lr: rng.uniformIn(0.01, 0.5) }, regularizer: new L2Double(rng.uniformIn(0.01, 0.5)) });
      const after = [];
      for (let step = 0; step < 6; step++) {
        weight.grad = rng.normalTensor(shape, 0, rng.uniformIn(0.1, 3));
        bias.grad = rng.normalTensor([shape[1]]);
        if (step % 2 === 1) weight.grad.data[rng.int(weight.grad.size)] = 0;
        optimizer.step([weight, bias]);
        after.push(parameterData([weight, bias], 'AdaGrad.step'));
      }
      return after;
    },
  },
]);
