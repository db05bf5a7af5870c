import { ShapeError, ValueError } from '../errors.js';
import { expectFinite } from '../tensor/checks.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Reduction } from './loss.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * The checks every loss makes before computing: prediction and target of the same shape
 * [batch, …] (so a label count that does not match the batch is caught here), both finite.
 */
export function checkLossInputs(prediction: Tensor, target: Tensor, where: string): void {
  if (prediction.rank < 1 || !sameShape(prediction.shape, target.shape)) {
    const hint =
      prediction.rank >= 1 && target.rank >= 1 && prediction.shape[0] !== target.shape[0]
        ? `: ${target.shape[0]} targets for a batch of ${prediction.shape[0]}`
        : '; targets are one-hot rows, one per example';
    throw new ShapeError(
      `${where} expected prediction and target of the same shape, got ${formatShape(prediction.shape)} and ${formatShape(target.shape)}${hint}`,
    );
  }
  expectFinite(prediction, where, 'prediction');
  expectFinite(target, where, 'target');
}

/** Throws unless `reduction` is one the kit knows. */
export function checkReduction(reduction: Reduction, where: string): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum')
    throw new ValueError(`${where}: reduction must be 'mean' or 'sum', got '${String(reduction)}'`);
  return reduction;
}

/** The factor that turns a sum over the batch into the requested reduction: 1/batch for 'mean'. */
export function reductionFactor(reduction: Reduction, batch: number): number {
  return reduction === 'mean' ? 1 / Math.max(1, batch) : 1;
}
