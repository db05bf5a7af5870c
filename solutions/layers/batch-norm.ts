import { ShapeError, ValueError } from '../../framework/errors.js';
import { full, zeros } from '../../framework/tensor/create.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape, formatShape } from '../../framework/tensor/shape.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import type { Layer } from '../../framework/nn/layer.js';

export interface BatchNormOptions {
  /** Weight of the current batch in the running statistics (default 0.1, as PyTorch). */
  momentum?: number;
  /** Added to the variance under the square root (default 1e-5, as PyTorch). */
  eps?: number;
}

/** What forward keeps for backward. */
interface BatchNormCache {
  readonly shape: readonly number[];
  /** x̂ = (x − μ)/√(σ² + ε), in the input's layout. */
  readonly normalized: Float64Array;
  /** 1/√(σ² + ε) per channel, with the statistics forward used (batch or running). */
  readonly inverseStd: Float64Array;
  /** Whether forward used the batch statistics (training) or the running ones (evaluation). */
  readonly training: boolean;
}

/**
 * Batch normalization over [batch, C] (one statistic per feature) or per channel over
 * [batch, C, H, W] (and [batch, C, L]): for channel c, with m = batch·H·W values x_i,
 *   μ = (1/m)·Σ x_i,   σ² = (1/m)·Σ (x_i − μ)²       (biased; 000: 2569–2570)
 *   x̂_i = (x_i − μ)/√(σ² + ε),   y_i = γ·x̂_i + β     (004: 3773–3777; 000: 2574, 2583)
 * Training uses the batch's μ, σ² and updates the running statistics (000: 2611):
 *   running_mean ← (1 − momentum)·running_mean + momentum·μ
 *   running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)   (unbiased, as PyTorch)
 * Evaluation uses running_mean and running_var in place of μ and σ² (004: 3779).
 * Backward (no seed gives it), with g_i = ∂L/∂y_i:
 *   ∂L/∂β = Σ g_i,   ∂L/∂γ = Σ g_i·x̂_i,
 *   training:   ∂L/∂x_i = γ/√(σ² + ε) · (g_i − (1/m)·Σ g − x̂_i·(1/m)·Σ g·x̂)
 *   evaluation: ∂L/∂x_i = γ/√(running_var + ε) · g_i   (the statistics are constants).
 * γ (role 'scale') starts at 1, β (role 'shift') at 0, running mean at 0 and variance at 1.
 * The running statistics are buffers: saved and loaded with the weights, never trained.
 *
 * Handout: docs/exercises/3-regularization.md#batchnorm
 */
export class BatchNorm implements Layer {
  readonly name = 'BatchNorm';
  training = true;
  readonly gamma: Parameter;
  readonly beta: Parameter;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly momentum: number;
  readonly eps: number;
  #cache?: BatchNormCache;

  constructor(
    readonly channels: number,
    options: BatchNormOptions = {},
  ) {
    if (!Number.isInteger(channels) || channels < 1)
      throw new ValueError(`BatchNorm: channels must be a positive integer, got ${channels}`);
    this.momentum = options.momentum ?? 0.1;
    this.eps = options.eps ?? 1e-5;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new ValueError(`BatchNorm: momentum must be in [0, 1], got ${this.momentum}`);
    if (!(this.eps > 0) || !Number.isFinite(this.eps))
      throw new ValueError(`BatchNorm: eps must be a small positive number, got ${this.eps}`);
    this.gamma = new Parameter('gamma', full([channels], 1), 'scale');
    this.beta = new Parameter('beta', zeros([channels]), 'shift');
    this.runningMean = zeros([channels]);
    this.runningVar = full([channels], 1);
  }

  forward(input: Tensor): Tensor {
    const { batch, spatial } = this.#layoutOf(input.shape, 'BatchNorm.forward', 'input');
    expectFinite(input, 'BatchNorm.forward');
    const channels = this.channels;
    const count = batch * spatial;
    if (this.training && count < 2) {
      throw new ValueError(
        `BatchNorm.forward in training needs more than one value per channel to compute a variance, got input ${formatShape(input.shape)}; use a larger batch, or eval() to predict single examples`,
      );
    }
    const x = input.data;
    const y = allocate(input.dtype, input.size);
    const normalized = new Float64Array(input.size);
    const inverseStd = new Float64Array(channels);
    const gamma = this.gamma.value.data;
    const beta = this.beta.value.data;
    const runningMean = this.runningMean.data;
    const runningVar = this.runningVar.data;
    const { momentum, eps } = this;
    // Element (b, c, s) of the input sits at (b·C + c)·spatial + s.
    if (this.training) {
      // BEGIN SOLUTION
      for (let c = 0; c < channels; c++) {
        let total = 0;
        for (let b = 0; b < batch; b++)
          for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) total += x[i];
        const mean = total / count;
        let squares = 0;
        for (let b = 0; b < batch; b++)
          for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) squares += (x[i] - mean) ** 2;
        const variance = squares / count;
        inverseStd[c] = 1 / Math.sqrt(variance + eps);
        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;
        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * variance * (count / (count - 1));
        for (let b = 0; b < batch; b++) {
          for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) {
            normalized[i] = (x[i] - mean) * inverseStd[c];
            y[i] = gamma[c] * normalized[i] + beta[c];
          }
        }
      }
      // END SOLUTION
    } else {
      // BEGIN SOLUTION
      for (let c = 0; c < channels; c++) {
        inverseStd[c] = 1 / Math.sqrt(runningVar[c] + eps);
        for (let b = 0; b < batch; b++) {
          for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) {
            normalized[i] = (x[i] - runningMean[c]) * inverseStd[c];
            y[i] = gamma[c] * normalized[i] + beta[c];
          }
        }
      }
      // END SOLUTION
    }
    this.#cache = { shape: input.shape, normalized, inverseStd, training: this.training };
    return new Tensor(input.shape, y);
  }

  backward(gradOutput: Tensor): Tensor {
    const cache = cached(this.#cache, 'BatchNorm.backward');
    expectSameShape(cache.shape, gradOutput.shape, 'BatchNorm.backward', ['input', 'gradOutput']);
    const { batch, spatial } = this.#layoutOf(cache.shape, 'BatchNorm.backward', 'gradOutput');
    const channels = this.channels;
    const count = batch * spatial;
    const g = gradOutput.data;
    const { normalized, inverseStd } = cache;
    const gamma = this.gamma.value.data;
    const gradInput = allocate(gradOutput.dtype, gradOutput.size);
    const gradGamma = new Float64Array(channels);
    const gradBeta = new Float64Array(channels);
    // BEGIN SOLUTION
    for (let c = 0; c < channels; c++) {
      let sumG = 0;
      let sumGNormalized = 0;
      for (let b = 0; b < batch; b++) {
        for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) {
          sumG += g[i];
          sumGNormalized += g[i] * normalized[i];
        }
      }
      gradBeta[c] = sumG;
      gradGamma[c] = sumGNormalized;
      const k = gamma[c] * inverseStd[c];
      for (let b = 0; b < batch; b++) {
        for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) {
          // In training μ and σ² depend on every x_i, which gives the two mean terms; in eval they are constants.
          gradInput[i] = cache.training
            ? k * (g[i] - sumG / count - normalized[i] * (sumGNormalized / count))
            : k * g[i];
        }
      }
    }
    // END SOLUTION
    this.gamma.accumulate(new Tensor([channels], gradGamma));
    this.beta.accumulate(new Tensor([channels], gradBeta));
    return new Tensor(cache.shape, gradInput);
  }

  parameters(): Parameter[] {
    return [this.gamma, this.beta];
  }

  /** The running statistics, saved and loaded with the weights (framework/io/weights.ts). */
  buffers(): Record<string, Tensor> {
    return { runningMean: this.runningMean, runningVar: this.runningVar };
  }

  /** [batch, C] or [batch, C, …spatial] with C = channels → the batch size and the spatial size. */
  #layoutOf(shape: readonly number[], where: string, what: string): { batch: number; spatial: number } {
    if (shape.length < 2 || shape.length > 4 || shape[1] !== this.channels) {
      throw new ShapeError(
        `${where} expected ${what} [batch, ${this.channels}] or [batch, ${this.channels}, height, width], got ${formatShape(shape)}`,
      );
    }
    let spatial = 1;
    for (let axis = 2; axis < shape.length; axis++) spatial *= shape[axis];
    return { batch: shape[0], spatial };
  }
}
