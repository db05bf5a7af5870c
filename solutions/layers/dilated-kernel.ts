import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Dilated (atrous) convolution, the arithmetic Conv calls when `dilation` ≠ 1 (seed 004: 3152–3157:
 * "Dilate convolution kernel: Skip certain pixels; Goal: Wider receptive field with less
 * parameters/weights"). A kernel of size k dilated by d reads the inputs d apart:
 *
 *   y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m·dh − pt, j·sw + n·dw − pl] · w[o, c, m, n]
 *
 * which is an ordinary cross-correlation (Exercise 2's loops, unchanged) with the kernel spread out:
 * w[m, n] moved to (m·dh, n·dw) and zeros in between, a kernel of span d·(k − 1) + 1. 'same' and
 * 'valid' use that span in the output-size formulas of catalogue §4.12 (seed 000: 2169–2171):
 * 'valid' o = ⌊(n − d·(k − 1) − 1) / s⌋ + 1, 'same' pads ⌊d·(k − 1)/2⌋ before and keeps ⌈n / s⌉.
 *
 * Backward: the input gradient is Exercise 2's, with the spread kernel; the spread kernel's gradient
 * comes back to the k×k weights by reading it where the weights were put (`gatherKernelGradient`, the
 * adjoint of `spreadKernel`); the zeros in between are no parameters and get nothing.
 *
 * Handout: docs/exercises/6-modern.md#dilatedconv
 */

/** The span of a kernel of size k dilated by d: d·(k − 1) + 1 (k = 3, d = 2 → 5). */
export function dilatedKernelSize(kernelSize: number, dilation: number): number {
  return dilation * (kernelSize - 1) + 1; // SOLUTION
}

/**
 * weight [O, C, KH, KW] → spread [O, C, dh·(KH − 1) + 1, dw·(KW − 1) + 1]:
 *   spread[o, c, m·dh, n·dw] = w[o, c, m, n], zeros elsewhere.
 */
export function spreadKernel(weight: Tensor, dilation: readonly [number, number]): Tensor {
  const [outChannels, inChannels, kernelHeight, kernelWidth] = weight.shape;
  const [dilationH, dilationW] = dilation;
  const spreadHeight = dilatedKernelSize(kernelHeight, dilationH);
  const spreadWidth = dilatedKernelSize(kernelWidth, dilationW);
  const W = weight.data;
  const spread = allocate(weight.dtype, outChannels * inChannels * spreadHeight * spreadWidth);
  // BEGIN SOLUTION
  for (let f = 0; f < outChannels * inChannels; f++) {
    for (let m = 0; m < kernelHeight; m++) {
      for (let n = 0; n < kernelWidth; n++) {
        spread[(f * spreadHeight + m * dilationH) * spreadWidth + n * dilationW] =
          W[(f * kernelHeight + m) * kernelWidth + n];
      }
    }
  }
  // END SOLUTION
  return new Tensor([outChannels, inChannels, spreadHeight, spreadWidth], spread);
}

/**
 * The adjoint of `spreadKernel`: from ∂L/∂spread [O, C, SH, SW] to ∂L/∂w [O, C, KH, KW],
 *   ∂L/∂w[o, c, m, n] = ∂L/∂spread[o, c, m·dh, n·dw].
 */
export function gatherKernelGradient(
  gradSpread: Tensor,
  dilation: readonly [number, number],
  kernelShape: readonly [number, number],
): Tensor {
  const [outChannels, inChannels, spreadHeight, spreadWidth] = gradSpread.shape;
  const [dilationH, dilationW] = dilation;
  const [kernelHeight, kernelWidth] = kernelShape;
  const G = gradSpread.data;
  const gradWeight = allocate(gradSpread.dtype, outChannels * inChannels * kernelHeight * kernelWidth);
  // BEGIN SOLUTION
  for (let f = 0; f < outChannels * inChannels; f++) {
    for (let m = 0; m < kernelHeight; m++) {
      for (let n = 0; n < kernelWidth; n++) {
        gradWeight[(f * kernelHeight + m) * kernelWidth + n] =
          G[(f * spreadHeight + m * dilationH) * spreadWidth + n * dilationW];
      }
    }
  }
  // END SOLUTION
  return new Tensor([outChannels, inChannels, kernelHeight, kernelWidth], gradWeight);
}
