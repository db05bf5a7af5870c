import { MeanSquaredErrorLoss } from '#impl/losses/mean-squared-error-loss.js';
import { hiddenCases, intIn, numberData, tensorData } from '../../case-api.js';

export default hiddenCases('ex3', 'MeanSquaredErrorLoss', [
  {
    id: 'mse-hidden-random',
    title: "forward and backward on random shapes, reduction 'mean'",
    points: 3,
    run: (rng) => {
      const shape = [intIn(rng, 1, 6), intIn(rng, 1, 5)];
      const loss = new MeanSquaredErrorLoss();
      const value = numberData(loss.forward(rng.normalTensor(shape, 0, 3), rng.normalTensor(shape)), 'MeanSquaredErrorLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'MeanSquaredErrorLoss.backward') };
    },
  },
  {
    id: 'mse-hidden-sum',
    title: "reduction 'sum' on a random batch",
    points: 2,
    run: (rng) => {
      const shape = [intIn(rng, 2, 6), intIn(rng, 1, 4)];
      const loss = new MeanSquaredErrorLoss({ reduction: 'sum' });
      const value = numberData(loss.forward(rng.normalTensor(shape), rng.normalTensor(shape)), 'MeanSquaredErrorLoss.forward');
      return { loss: value, gradient: tensorData(loss.backward(), 'MeanSquaredErrorLoss.backward') };
    },
  },
]);
