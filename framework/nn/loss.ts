import type { Tensor } from '../tensor/tensor.js';

/** How a loss combines the per-example losses of a batch. */
export type Reduction = 'mean' | 'sum';

/**
 * A loss: `forward(prediction, target)` returns the scalar loss and caches what `backward` needs;
 * `backward()` returns ∂L/∂prediction with the prediction's shape.
 */
export interface Loss {
  readonly name: string;
  readonly reduction: Reduction;
  forward(prediction: Tensor, target: Tensor): number;
  backward(): Tensor;
}
