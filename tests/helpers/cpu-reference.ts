import { Tensor } from '../../framework/index.js';

/**
 * Test-local CPU references for the Exercise 5 kernels: plain loops, float64, written once here so
 * that the GPU tests do not depend on a student's own Exercise 1 or 2 code.
 */
export function reluReference(x: Tensor): Tensor {
  return new Tensor(x.shape, x.data.map((v) => (v > 0 ? v : 0)));
}

export function reluBackwardReference(x: Tensor, gradOutput: Tensor): Tensor {
  return new Tensor(x.shape, gradOutput.data.map((g, i) => (x.data[i] > 0 ? g : 0)));
}

/** Softmax over the last axis, max-shifted. */
export function softmaxReference(x: Tensor): Tensor {
  const classes = x.shape[x.rank - 1];
  const y = new Float64Array(x.size);
  for (let row = 0; row < x.size; row += classes) {
    let largest = -Infinity;
    for (let k = 0; k < classes; k++) largest = Math.max(largest, x.data[row + k]);
    let total = 0;
    for (let k = 0; k < classes; k++) total += (y[row + k] = Math.exp(x.data[row + k] - largest));
    for (let k = 0; k < classes; k++) y[row + k] /= total;
  }
  return new Tensor(x.shape, y);
}

/** y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n], zeros outside x. */
export function conv2dReference(
  x: Tensor, weight: Tensor, bias: Tensor, stride: readonly [number, number], padBefore: readonly [number, number], outShape: readonly [number, number],
): Tensor {
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
                if (r >= 0 && r < height && s >= 0 && s < width) total += x.get(b, c, r, s) * weight.get(o, c, m, n);
              }
            }
          }
          y[((b * outChannels + o) * oh + i) * ow + j] = total;
        }
      }
    }
  }
  return new Tensor([batch, outChannels, oh, ow], y);
}

/** y[b, c, i, j] = max over the window at (i·sh, j·sw), 'valid'. */
export function maxPool2dReference(x: Tensor, kernel: readonly [number, number], stride: readonly [number, number]): Tensor {
  const [batch, channels, height, width] = x.shape;
  const oh = Math.floor((height - kernel[0]) / stride[0]) + 1;
  const ow = Math.floor((width - kernel[1]) / stride[1]) + 1;
  const y = new Float64Array(batch * channels * oh * ow);
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let largest = -Infinity;
          for (let m = 0; m < kernel[0]; m++) for (let n = 0; n < kernel[1]; n++) largest = Math.max(largest, x.get(b, c, i * stride[0] + m, j * stride[1] + n));
          y[at++] = largest;
        }
      }
    }
  }
  return new Tensor([batch, channels, oh, ow], y);
}
