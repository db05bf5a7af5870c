import { NonFiniteError, ValueError } from '../errors.js';
import { scale } from '../ops/arithmetic.js';
import type { Parameter } from './parameter.js';

/**
 * Gradient clipping by global norm, the cure for exploding gradients that the seed names without a
 * formula ("Exploding gradient relatively easy to solve by truncating gradient", 004: 6147). The kit
 * uses the usual rule (Pascanu et al. 2013; PyTorch's `clip_grad_norm_`):
 *
 *   n = √(Σ_parameters Σ_elements g²)                 (one norm over all gradients together)
 *   if n > maxNorm:  g ← g · maxNorm / (n + 1e-6)      for every parameter
 *
 * Scaling all gradients by one factor keeps the update's direction and only shortens it; the 1e-6
 * keeps the factor finite when n is tiny. Call it between `backward` and the optimizer's `step`.
 * Returns n, the norm before clipping (worth logging: a norm that keeps hitting the cap means the
 * learning rate or the cap is too small). Handout: docs/exercises/4-recurrent.md#gradient-clipping
 */
export function clipGradNorm(parameters: readonly Parameter[], maxNorm: number): number {
  if (!Number.isFinite(maxNorm) || maxNorm <= 0)
    throw new ValueError(`clipGradNorm: maxNorm must be a positive number, got ${maxNorm}`);
  let squares = 0;
  for (const parameter of parameters) {
    const grad = parameter.grad.data;
    for (let i = 0; i < grad.length; i++) squares += grad[i] * grad[i];
  }
  const norm = Math.sqrt(squares);
  if (!Number.isFinite(norm)) {
    throw new NonFiniteError(
      `clipGradNorm: the gradient norm is ${norm}; a gradient already holds NaN or ∞, so clipping cannot help: check the loss and lower the learning rate`,
    );
  }
  if (norm > maxNorm) {
    const factor = maxNorm / (norm + 1e-6);
    for (const parameter of parameters) parameter.grad = scale(parameter.grad, factor);
  }
  return norm;
}
