import { ValueError } from '../../framework/errors.js';
import { scale } from '../../framework/ops/arithmetic.js';
import { abs, sign } from '../../framework/ops/math.js';
import { sumAll } from '../../framework/ops/reductions.js';
import type { Regularizer } from '../../framework/nn/regularizer.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * L1 weight penalty (sparsity, "lasso"):
 *   norm(w)     = α·Σ|w|          the term added to the loss, L̃ = L + λ‖w‖₁   (seed 004: 3673)
 *   gradient(w) = α·sign(w)       its subgradient, 0 at w = 0                 (seed 004: 3684)
 * Any optimizer applies it to parameters with role 'weight' from the weights before the step:
 *   w ← step(w, ∂L/∂w) − η·α·sign(w_old)   (004: 3684 "Other shrinkage"; DESIGN §3).
 * The kit's α is the seed's λ.
 *
 * Handout: docs/exercises/3-regularization.md#l1regularizer
 */
export class L1Regularizer implements Regularizer {
  readonly name = 'L1Regularizer';

  constructor(readonly alpha: number) {
    if (!Number.isFinite(alpha) || alpha < 0)
      throw new ValueError(`L1Regularizer: alpha must be a finite number ≥ 0, got ${alpha}`);
  }

  gradient(weights: Tensor): Tensor {
    // BEGIN SOLUTION
    return scale(sign(weights), this.alpha);
    // END SOLUTION
  }

  norm(weights: Tensor): number {
    // BEGIN SOLUTION
    return this.alpha * sumAll(abs(weights));
    // END SOLUTION
  }
}
