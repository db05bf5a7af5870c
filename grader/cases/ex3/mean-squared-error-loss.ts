import { MeanSquaredErrorLoss } from '#impl/losses/mean-squared-error-loss.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { errorName, numberData, publicCases, tensorData } from '../../case-api.js';

/** The loss and its gradient for one reduction. */
function lossAndGradient(prediction: Tensor, target: Tensor, reduction: 'mean' | 'sum' = 'mean') {
  const loss = new MeanSquaredErrorLoss({ reduction });
  const value = numberData(loss.forward(prediction, target), 'MeanSquaredErrorLoss.forward');
  return { loss: value, gradient: tensorData(loss.backward(), 'MeanSquaredErrorLoss.backward') };
}

export default publicCases('ex3', 'MeanSquaredErrorLoss', [
  {
    id: 'mse-seed-known-value',
    title: '½·(y − ŷ)² for the output 0.64 of seed 000: 540 against target 1: loss 0.0648, gradient ŷ − y = −0.36',
    run: () => lossAndGradient(fromArray([[0.64]]), fromArray([[1]])),
  },
  {
    id: 'mse-batch-of-two',
    title: "a batch of two: ½·(1 + 4 + 9 + 16) = 15 summed, 7.5 as the mean over the batch (not over every element)",
    run: () => ({ mean: lossAndGradient(fromArray([[1, 2], [3, 4]]), fromArray([[0, 0], [0, 0]])), sum: lossAndGradient(fromArray([[1, 2], [3, 4]]), fromArray([[0, 0], [0, 0]]), 'sum') }),
  },
  {
    id: 'mse-random-both-reductions',
    title: "random [4, 3] predictions and targets, reductions 'mean' and 'sum'",
    weight: 2,
    run: () => {
      const rng = new Rng(1);
      const [prediction, target] = [rng.normalTensor([4, 3]), rng.normalTensor([4, 3])];
      return { mean: lossAndGradient(prediction, target), sum: lossAndGradient(prediction, target, 'sum') };
    },
  },
  {
    id: 'mse-errors',
    title: 'mismatched shapes are refused with a ShapeError, an unknown reduction with a ValueError, backward first with a StateError',
    compare: { kind: 'exact' },
    run: () => ({
      equal: lossAndGradient(fromArray([[1, 2]]), fromArray([[1, 2]])),
      mismatchedShapes: errorName(() => new MeanSquaredErrorLoss().forward(fromArray([[1, 2]]), fromArray([[1, 2, 3]]))),
      unknownReduction: errorName(() => new MeanSquaredErrorLoss({ reduction: 'max' as never })),
      backwardBeforeForward: errorName(() => new MeanSquaredErrorLoss().backward()),
    }),
  },
]);
