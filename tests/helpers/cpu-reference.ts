import { Tensor } from '../../framework/index.js';

/**
 * Test-local CPU references for the Exercise 5 kernels: plain loops, float64, written once here so
 * that the GPU tests do not depend on a student's own Exercise 1 or 2 code.
 *
 * Each comes twice: on plain data (`{ shape, data }`, what a check's `verify` holds: it recomputes
 * the definition from the inputs that came back with the GPU's output) and on Tensors (the framework's
 * tests and the CPU twin of the GPU training).
 */
export interface PlainTensor {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface PlainResult {
  readonly shape: number[];
  readonly data: number[];
}

const result = (shape: readonly number[], data: ArrayLike<number>): PlainResult => ({
  shape: [...shape],
  data: Array.from(data),
});
const asTensor = (plain: PlainResult): Tensor => new Tensor(plain.shape, Float64Array.from(plain.data));

/** y = max(0, x). */
export function reluOf(x: PlainTensor): PlainResult {
  return result(
    x.shape,
    Array.from(x.data, (v) => (v > 0 ? v : 0)),
  );
}

/** ∂L/∂x = ∂L/∂y where x > 0, else 0 (the derivative at 0 is 0). */
export function reluBackwardOf(x: PlainTensor, gradOutput: PlainTensor): PlainResult {
  return result(
    x.shape,
    Array.from(gradOutput.data, (g, i) => (x.data[i] > 0 ? g : 0)),
  );
}

/** C [m, n] = A [m, k] · B [k, n]. */
export function matmulOf(a: PlainTensor, b: PlainTensor): PlainResult {
  const [m, k] = a.shape;
  const n = b.shape[1];
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const left = a.data[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += left * b.data[p * n + j];
    }
  }
  return result([m, n], c);
}

/** Softmax over the last axis, max-shifted. */
export function softmaxOf(x: PlainTensor): PlainResult {
  const classes = x.shape[x.shape.length - 1];
  const y = new Float64Array(x.data.length);
  for (let row = 0; row < x.data.length; row += classes) {
    let largest = -Infinity;
    for (let k = 0; k < classes; k++) largest = Math.max(largest, x.data[row + k]);
    let total = 0;
    for (let k = 0; k < classes; k++) total += Math.exp(x.data[row + k] - largest);
    for (let k = 0; k < classes; k++) y[row + k] = Math.exp(x.data[row + k] - largest) / total;
  }
  return result(x.shape, y);
}

/** y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n], zeros outside x. */
export function conv2dOf(
  x: PlainTensor,
  weight: PlainTensor,
  bias: PlainTensor,
  stride: readonly number[],
  padBefore: readonly number[],
  outShape: readonly number[],
): PlainResult {
  const [batch, channels, height, width] = x.shape;
  const [outChannels, , kh, kw] = weight.shape;
  const [oh, ow] = outShape;
  const y = new Float64Array(batch * outChannels * oh * ow);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let total = bias.data[o];
          for (let c = 0; c < channels; c++) {
            for (let m = 0; m < kh; m++) {
              for (let n = 0; n < kw; n++) {
                const r = i * stride[0] + m - padBefore[0];
                const s = j * stride[1] + n - padBefore[1];
                if (r >= 0 && r < height && s >= 0 && s < width)
                  total +=
                    x.data[((b * channels + c) * height + r) * width + s] *
                    weight.data[((o * channels + c) * kh + m) * kw + n];
              }
            }
          }
          y[((b * outChannels + o) * oh + i) * ow + j] = total;
        }
      }
    }
  }
  return result([batch, outChannels, oh, ow], y);
}

/** y[b, c, i, j] = max over the window at (i·sh, j·sw), 'valid'. */
export function maxPool2dOf(x: PlainTensor, kernel: readonly number[], stride: readonly number[]): PlainResult {
  const [batch, channels, height, width] = x.shape;
  const oh = Math.floor((height - kernel[0]) / stride[0]) + 1;
  const ow = Math.floor((width - kernel[1]) / stride[1]) + 1;
  const y = new Float64Array(batch * channels * oh * ow);
  let at = 0;
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let largest = -Infinity;
        for (let m = 0; m < kernel[0]; m++) {
          for (let n = 0; n < kernel[1]; n++)
            largest = Math.max(largest, x.data[(plane * height + i * stride[0] + m) * width + j * stride[1] + n]);
        }
        y[at++] = largest;
      }
    }
  }
  return result([batch, channels, oh, ow], y);
}

export function reluReference(x: Tensor): Tensor {
  return asTensor(reluOf(x));
}

export function reluBackwardReference(x: Tensor, gradOutput: Tensor): Tensor {
  return asTensor(reluBackwardOf(x, gradOutput));
}

/** Softmax over the last axis, max-shifted. */
export function softmaxReference(x: Tensor): Tensor {
  return asTensor(softmaxOf(x));
}

/** y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n], zeros outside x. */
export function conv2dReference(
  x: Tensor,
  weight: Tensor,
  bias: Tensor,
  stride: readonly [number, number],
  padBefore: readonly [number, number],
  outShape: readonly [number, number],
): Tensor {
  return asTensor(conv2dOf(x, weight, bias, stride, padBefore, outShape));
}

/** y[b, c, i, j] = max over the window at (i·sh, j·sw), 'valid'. */
export function maxPool2dReference(
  x: Tensor,
  kernel: readonly [number, number],
  stride: readonly [number, number],
): Tensor {
  return asTensor(maxPool2dOf(x, kernel, stride));
}
