import { registerKernels } from '../../framework/backend/kernel-registry.js';
import type { Conv2dGeometry } from '../../framework/backend/kernels.js';
import { conv2dKernelTable } from '../../framework/nn/conv2d-kernel-table.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * The geometry every conv kernel needs besides its tensors (declared with the kernels, in
 * framework/backend/kernels.ts): the stride [sh, sw] and the zeros padded before the first row and
 * column [pt, pl] (the padding after is implied by the output size).
 */
export type { Conv2dGeometry };

/**
 * 2-D cross-correlation, the forward pass of Conv (seed 004: 3076–3088, "Cross-correlation is
 * frequently used in the forward pass"; 3104–3108 for channels):
 *
 *   y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n]
 *
 * where x is zero outside the image (the padding). Kernel 'conv2d':
 *   inputs     [x [B, C, H, W], weight [O, C, KH, KW], bias [O]]
 *   attributes { stride: [sh, sw], padBefore: [pt, pl], outShape: [OH, OW] }
 *   output     y [B, O, OH, OW]
 *
 * Handout: docs/exercises/2-convolutional.md#conv
 */
export function conv2dCpu(
  x: Tensor,
  weight: Tensor,
  bias: Tensor,
  geometry: Conv2dGeometry,
  outShape: readonly [number, number],
): Tensor {
  const [batch, inChannels, height, width] = x.shape;
  const [outChannels, , kernelHeight, kernelWidth] = weight.shape;
  const [outHeight, outWidth] = outShape;
  const [strideH, strideW] = geometry.stride;
  const [padTop, padLeft] = geometry.padBefore;
  const X = x.data;
  const W = weight.data;
  const Y = allocate(x.dtype, batch * outChannels * outHeight * outWidth);
  // BEGIN SOLUTION
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) {
          let sum = bias.data[o];
          for (let c = 0; c < inChannels; c++) {
            for (let m = 0; m < kernelHeight; m++) {
              const r = i * strideH + m - padTop;
              if (r < 0 || r >= height) continue; // a padded row: zeros add nothing
              for (let n = 0; n < kernelWidth; n++) {
                const s = j * strideW + n - padLeft;
                if (s < 0 || s >= width) continue;
                sum +=
                  X[((b * inChannels + c) * height + r) * width + s] *
                  W[((o * inChannels + c) * kernelHeight + m) * kernelWidth + n];
              }
            }
          }
          Y[((b * outChannels + o) * outHeight + i) * outWidth + j] = sum;
        }
      }
    }
  }
  // END SOLUTION
  return new Tensor([batch, outChannels, outHeight, outWidth], Y);
}

/**
 * Gradient of the loss w.r.t. the input. Every x[b, c, r, s] took part in y[b, o, i, j] with weight
 * w[o, c, m, n] wherever r = i·sh + m − pt and s = j·sw + n − pl, so its gradient collects those
 * terms (the chain rule over the sum of the forward pass):
 *
 *   ∂L/∂x[b, c, r, s] = Σ_o Σ_i Σ_j ∂L/∂y[b, o, i, j] · w[o, c, r − i·sh + pt, s − j·sw + pl]
 *
 * This is a full correlation of the (stride-dilated) ∂L/∂y with the flipped kernel, the seed's
 * "Backward pass can also be expressed as convolutions ↦ exercise" (004: 3112–3125; Toeplitz view:
 * E_{l−1} = Wᵀ E_l). Kernel 'conv2dBackwardInput':
 *   inputs     [gradOutput [B, O, OH, OW], weight [O, C, KH, KW]]
 *   attributes { stride, padBefore, inShape: [H, W] }
 *   output     ∂L/∂x [B, C, H, W]
 */
export function conv2dBackwardInputCpu(
  gradOutput: Tensor,
  weight: Tensor,
  geometry: Conv2dGeometry,
  inShape: readonly [number, number],
): Tensor {
  const [batch, outChannels, outHeight, outWidth] = gradOutput.shape;
  const [, inChannels, kernelHeight, kernelWidth] = weight.shape;
  const [height, width] = inShape;
  const [strideH, strideW] = geometry.stride;
  const [padTop, padLeft] = geometry.padBefore;
  const dY = gradOutput.data;
  const W = weight.data;
  const dX = allocate(gradOutput.dtype, batch * inChannels * height * width);
  // BEGIN SOLUTION
  // Walk the forward sum once more and send each term's share back to the x it read.
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) {
          const g = dY[((b * outChannels + o) * outHeight + i) * outWidth + j];
          for (let c = 0; c < inChannels; c++) {
            for (let m = 0; m < kernelHeight; m++) {
              const r = i * strideH + m - padTop;
              if (r < 0 || r >= height) continue;
              for (let n = 0; n < kernelWidth; n++) {
                const s = j * strideW + n - padLeft;
                if (s < 0 || s >= width) continue;
                dX[((b * inChannels + c) * height + r) * width + s] +=
                  g * W[((o * inChannels + c) * kernelHeight + m) * kernelWidth + n];
              }
            }
          }
        }
      }
    }
  }
  // END SOLUTION
  return new Tensor([batch, inChannels, height, width], dX);
}

/**
 * Gradient of the loss w.r.t. the weights: each weight is shared by every output position and every
 * example of the batch, so its gradient sums over all of them (the Toeplitz view ∇W = E_l Xᵀ,
 * 004: 3112–3125):
 *
 *   ∂L/∂w[o, c, m, n] = Σ_b Σ_i Σ_j ∂L/∂y[b, o, i, j] · x[b, c, i·sh + m − pt, j·sw + n − pl]
 *
 * i.e. the correlation of the input with ∂L/∂y. Kernel 'conv2dBackwardWeights':
 *   inputs     [x [B, C, H, W], gradOutput [B, O, OH, OW]]
 *   attributes { stride, padBefore, kernelShape: [KH, KW] }
 *   output     ∂L/∂w [O, C, KH, KW]
 */
export function conv2dBackwardWeightsCpu(
  x: Tensor,
  gradOutput: Tensor,
  geometry: Conv2dGeometry,
  kernelShape: readonly [number, number],
): Tensor {
  const [batch, inChannels, height, width] = x.shape;
  const [, outChannels, outHeight, outWidth] = gradOutput.shape;
  const [kernelHeight, kernelWidth] = kernelShape;
  const [strideH, strideW] = geometry.stride;
  const [padTop, padLeft] = geometry.padBefore;
  const X = x.data;
  const dY = gradOutput.data;
  const dW = allocate(x.dtype, outChannels * inChannels * kernelHeight * kernelWidth);
  // BEGIN SOLUTION
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) {
          const g = dY[((b * outChannels + o) * outHeight + i) * outWidth + j];
          for (let c = 0; c < inChannels; c++) {
            for (let m = 0; m < kernelHeight; m++) {
              const r = i * strideH + m - padTop;
              if (r < 0 || r >= height) continue;
              for (let n = 0; n < kernelWidth; n++) {
                const s = j * strideW + n - padLeft;
                if (s < 0 || s >= width) continue;
                dW[((o * inChannels + c) * kernelHeight + m) * kernelWidth + n] +=
                  g * X[((b * inChannels + c) * height + r) * width + s];
              }
            }
          }
        }
      }
    }
  }
  // END SOLUTION
  return new Tensor([outChannels, inChannels, kernelHeight, kernelWidth], dW);
}

/**
 * Gradient of the loss w.r.t. the bias: bias[o] is added to every position of output channel o,
 *   ∂L/∂bias[o] = Σ_b Σ_i Σ_j ∂L/∂y[b, o, i, j].
 * Kernel 'conv2dBackwardBias': inputs [gradOutput [B, O, OH, OW]], no attributes, output [O].
 */
export function conv2dBackwardBiasCpu(gradOutput: Tensor): Tensor {
  const [batch, outChannels, outHeight, outWidth] = gradOutput.shape;
  const dY = gradOutput.data;
  const dBias = allocate(gradOutput.dtype, outChannels);
  // BEGIN SOLUTION
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let p = 0; p < outHeight * outWidth; p++) dBias[o] += dY[(b * outChannels + o) * outHeight * outWidth + p];
    }
  }
  // END SOLUTION
  return new Tensor([outChannels], dBias);
}

/**
 * The plain-loop kernels above are Conv's CPU kernels, the oracle. The im2col fast path
 * (conv2d-fast.ts) replaces them only inside `withKernels(fastConvKernels, …)`.
 */
registerKernels(
  'cpu',
  conv2dKernelTable({
    forward: conv2dCpu,
    backwardInput: conv2dBackwardInputCpu,
    backwardWeights: conv2dBackwardWeightsCpu,
    backwardBias: conv2dBackwardBiasCpu,
  }),
);
