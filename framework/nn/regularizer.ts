import type { Tensor } from '../tensor/tensor.js';

/**
 * A weight penalty R(w) added to the loss. `norm(w)` is R(w) (reported as the regularization loss);
 * `gradient(w)` is ∂R/∂w, which the optimizer subtracts, scaled by its learning rate.
 */
export interface Regularizer {
  readonly name: string;
  gradient(weights: Tensor): Tensor;
  norm(weights: Tensor): number;
}
