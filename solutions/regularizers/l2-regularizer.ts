import { ValueError } from '../../framework/errors.js';
import { scale } from '../../framework/ops/arithmetic.js';
import { square } from '../../framework/ops/math.js';
import { sumAll } from '../../framework/ops/reductions.js';
import type { Regularizer } from '../../framework/nn/regularizer.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * L2 weight penalty (weight decay, "ridge"):
 *   norm(w)     = α·Σw²      the term reported as regularization loss, L̃ = L + λ‖w‖₂²   (seed 004: 3648)
 *   gradient(w) = α·w        the shrinkage the optimizer applies, (1 − ηλ)·w          (seed 004: 3659)
 * Any optimizer applies it to parameters with role 'weight' from the weights before the step:
 *   w ← step(w, ∂L/∂w) − η·α·w_old   (DESIGN §3).
 *
 * Convention (DESIGN §3, as in the FAU exercise): gradient(w) = α·w is the gradient of (α/2)·Σw²,
 * half the gradient of norm(w). The seed's update 004: 3659 drops the same factor 2; seed 000: 1539–1548
 * writes (λ/2)‖θ‖² and λθ, which is what the optimizer actually minimises. See docs/conventions.md.
 *
 * Handout: docs/exercises/3-regularization.md#l2regularizer
 */
export class L2Regularizer implements Regularizer {
  readonly name = 'L2Regularizer';

  constructor(readonly alpha: number) {
    if (!Number.isFinite(alpha) || alpha < 0)
      throw new ValueError(`L2Regularizer: alpha must be a finite number ≥ 0, got ${alpha}`);
  }

  gradient(weights: Tensor): Tensor {
    // BEGIN SOLUTION
    return scale(weights, this.alpha);
    // END SOLUTION
  }

  norm(weights: Tensor): number {
    // BEGIN SOLUTION
    return this.alpha * sumAll(square(weights));
    // END SOLUTION
  }
}
