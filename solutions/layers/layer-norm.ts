import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { formatShape, sameShape } from '../../framework/tensor/shape.js';
import { ShapeError, ValueError } from '../../framework/errors.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import type { Layer } from '../../framework/nn/layer.js';

export interface LayerNormOptions {
  /** Added to the variance inside the square root (default 1e-5, as BatchNorm). */
  eps?: number;
}

/**
 * Layer normalization: each row (the `features` values of the last axis of one example, or of one
 * time step) is normalised by its own mean and variance, then scaled and shifted per feature. Seed 004:
 * 3819–3836 lists it among batch norm's generalizations ("Calculating μ, σ over … a layer"); 001:
 * 393–396 "Layer normalization (LN) – conceived for RNNs". With F = features and a row x₁…x_F:
 *
 *   μ = (1/F) Σ_f x_f,   σ² = (1/F) Σ_f (x_f − μ)²   (biased, as BatchNorm's batch statistics)
 *   x̂_f = (x_f − μ) / √(σ² + ε),   y_f = γ_f·x̂_f + β_f
 *
 * Unlike BatchNorm nothing is shared across the batch: a row's output depends on that row only, the
 * same in training and eval, with no running statistics.
 * Backward, with g = ∂L/∂y and ĝ_f = γ_f·g_f (row by row):
 *   ∂L/∂γ_f = Σ_rows g_f·x̂_f,   ∂L/∂β_f = Σ_rows g_f
 *   ∂L/∂x_f = (1/√(σ² + ε)) · (ĝ_f − mean(ĝ) − x̂_f·mean(ĝ ⊙ x̂))
 *
 * Shapes: x [..., features] ([batch, features] or [batch, time, features]) → y of the same shape;
 * gamma [features] = 1 and beta [features] = 0 at start.
 *
 * Handout: docs/exercises/6-modern.md#layernorm
 */
export class LayerNorm implements Layer {
  readonly name = 'LayerNorm';
  training = true;
  readonly features: number;
  readonly eps: number;
  readonly gamma: Parameter;
  readonly beta: Parameter;
  #cache?: { input: Tensor; normalized: Float64Array; inverseStd: Float64Array };

  constructor(features: number, options: LayerNormOptions = {}) {
    if (!Number.isInteger(features) || features < 1)
      throw new ValueError(`LayerNorm: features must be a positive integer, got ${features}`);
    const eps = options.eps ?? 1e-5;
    if (!(eps > 0)) throw new ValueError(`LayerNorm: eps must be positive, got ${eps}`);
    this.features = features;
    this.eps = eps;
    this.gamma = new Parameter('gamma', new Tensor([features], new Float64Array(features).fill(1)), 'scale');
    this.beta = new Parameter('beta', new Tensor([features], new Float64Array(features)), 'shift');
  }

  forward(input: Tensor): Tensor {
    if (input.rank < 2 || input.shape[input.rank - 1] !== this.features) {
      throw new ShapeError(
        `LayerNorm.forward expected input [batch, …, ${this.features}] (the features on the last axis), got ${formatShape(input.shape)}`,
      );
    }
    expectFinite(input, 'LayerNorm.forward');
    const features = this.features;
    const rows = input.size / features;
    const x = input.data;
    const gamma = this.gamma.value.data;
    const beta = this.beta.value.data;
    const normalized = new Float64Array(input.size);
    const inverseStd = new Float64Array(rows);
    const y = allocate(input.dtype, input.size);
    // BEGIN SOLUTION
    for (let row = 0; row < rows; row++) {
      const start = row * features;
      let total = 0;
      for (let f = 0; f < features; f++) total += x[start + f];
      const mean = total / features;
      let squares = 0;
      for (let f = 0; f < features; f++) squares += (x[start + f] - mean) ** 2;
      inverseStd[row] = 1 / Math.sqrt(squares / features + this.eps);
      for (let f = 0; f < features; f++) {
        normalized[start + f] = (x[start + f] - mean) * inverseStd[row];
        y[start + f] = gamma[f] * normalized[start + f] + beta[f];
      }
    }
    // END SOLUTION
    this.#cache = { input, normalized, inverseStd };
    return new Tensor(input.shape, y);
  }

  backward(gradOutput: Tensor): Tensor {
    const { input, normalized, inverseStd } = cached(this.#cache, 'LayerNorm.backward');
    if (!sameShape(gradOutput.shape, input.shape)) {
      throw new ShapeError(
        `LayerNorm.backward expected gradOutput ${formatShape(input.shape)}, got ${formatShape(gradOutput.shape)}`,
      );
    }
    const features = this.features;
    const rows = input.size / features;
    const g = gradOutput.data;
    const gamma = this.gamma.value.data;
    const gradGamma = new Float64Array(features);
    const gradBeta = new Float64Array(features);
    const gradInput = allocate(input.dtype, input.size);
    // BEGIN SOLUTION
    for (let row = 0; row < rows; row++) {
      const start = row * features;
      let sumScaled = 0;
      let sumScaledNormalized = 0;
      for (let f = 0; f < features; f++) {
        const scaled = gamma[f] * g[start + f];
        gradGamma[f] += g[start + f] * normalized[start + f];
        gradBeta[f] += g[start + f];
        sumScaled += scaled;
        sumScaledNormalized += scaled * normalized[start + f];
      }
      for (let f = 0; f < features; f++) {
        const scaled = gamma[f] * g[start + f];
        gradInput[start + f] =
          inverseStd[row] * (scaled - sumScaled / features - normalized[start + f] * (sumScaledNormalized / features));
      }
    }
    // END SOLUTION
    this.gamma.accumulate(new Tensor([features], gradGamma));
    this.beta.accumulate(new Tensor([features], gradBeta));
    return new Tensor(input.shape, gradInput);
  }

  parameters(): Parameter[] {
    return [this.gamma, this.beta];
  }
}
