import { registerKernel } from '../../framework/backend/kernel-registry.js';
import { matmul, transpose } from '../../framework/ops/linalg.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import { conv2dBackwardBiasCpu, type Conv2dGeometry } from './conv2d-kernels.js';

/**
 * The fast path of Conv's CPU kernels (extension): the same three sums as conv2d-kernels.ts, turned
 * into matrix products ("Convolution can be expressed as matrix multiplication … We can use the
 * same formulas as for the fully connected layer!", seed 004: 3112–3125).
 *
 * im2col lays out every receptive field as a column, so that with X_col [C·KH·KW, B·OH·OW] and the
 * filters as rows, W_mat [O, C·KH·KW]:
 *   forward          Y_mat  = W_mat · X_col (+ bias)        [O, B·OH·OW]
 *   backward input   dX_col = W_matᵀ · dY_mat, then col2im adds every column back where it was read
 *   backward weights dW_mat = dY_mat · X_colᵀ
 * The plain loops in conv2d-kernels.ts are the oracle this is tested against
 * (tests/ex2/conv2d-fast.test.ts); `useFastConvKernels()` registers these under the same kernel names.
 *
 * Handout: docs/exercises/2-convolutional.md#extension-a-fast-path-im2col
 */

/**
 * X_col[(c·KH + m)·KW + n, (b·OH + i)·OW + j] = x[b, c, i·sh + m − pt, j·sw + n − pl], 0 in the padding.
 */
export function im2col(x: Tensor, geometry: Conv2dGeometry, kernelShape: readonly [number, number], outShape: readonly [number, number]): Tensor {
  const [batch, channels, height, width] = x.shape;
  const [kernelHeight, kernelWidth] = kernelShape;
  const [outHeight, outWidth] = outShape;
  const [strideH, strideW] = geometry.stride;
  const [padTop, padLeft] = geometry.padBefore;
  const columns = batch * outHeight * outWidth;
  const X = x.data;
  const cols = allocate(x.dtype, channels * kernelHeight * kernelWidth * columns);
  // BEGIN SOLUTION
  for (let c = 0; c < channels; c++) {
    for (let m = 0; m < kernelHeight; m++) {
      for (let n = 0; n < kernelWidth; n++) {
        const row = ((c * kernelHeight + m) * kernelWidth + n) * columns;
        for (let b = 0; b < batch; b++) {
          const plane = (b * channels + c) * height * width;
          for (let i = 0; i < outHeight; i++) {
            const r = i * strideH + m - padTop;
            if (r < 0 || r >= height) continue; // the row of zeros is already there
            const at = row + (b * outHeight + i) * outWidth;
            for (let j = 0; j < outWidth; j++) {
              const s = j * strideW + n - padLeft;
              if (s >= 0 && s < width) cols[at + j] = X[plane + r * width + s];
            }
          }
        }
      }
    }
  }
  // END SOLUTION
  return new Tensor([channels * kernelHeight * kernelWidth, columns], cols);
}

/** The adjoint of im2col: adds every entry of a column matrix back to the input position it came from. */
export function col2im(
  cols: Tensor,
  inShape: readonly [number, number, number, number],
  geometry: Conv2dGeometry,
  kernelShape: readonly [number, number],
  outShape: readonly [number, number],
): Tensor {
  const [batch, channels, height, width] = inShape;
  const [kernelHeight, kernelWidth] = kernelShape;
  const [outHeight, outWidth] = outShape;
  const [strideH, strideW] = geometry.stride;
  const [padTop, padLeft] = geometry.padBefore;
  const columns = batch * outHeight * outWidth;
  const C = cols.data;
  const dX = allocate(cols.dtype, batch * channels * height * width);
  // BEGIN SOLUTION
  for (let c = 0; c < channels; c++) {
    for (let m = 0; m < kernelHeight; m++) {
      for (let n = 0; n < kernelWidth; n++) {
        const row = ((c * kernelHeight + m) * kernelWidth + n) * columns;
        for (let b = 0; b < batch; b++) {
          const plane = (b * channels + c) * height * width;
          for (let i = 0; i < outHeight; i++) {
            const r = i * strideH + m - padTop;
            if (r < 0 || r >= height) continue;
            const at = row + (b * outHeight + i) * outWidth;
            for (let j = 0; j < outWidth; j++) {
              const s = j * strideW + n - padLeft;
              if (s >= 0 && s < width) dX[plane + r * width + s] += C[at + j];
            }
          }
        }
      }
    }
  }
  // END SOLUTION
  return new Tensor(inShape, dX);
}

/** [B, O, P] ↔ [O, B·P]: moves the batch next to the positions so one matrix row holds one filter's outputs. */
function batchToColumns(t: Tensor, batch: number, channels: number, positions: number): Tensor {
  const source = t.data;
  const out = allocate(t.dtype, t.size);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < channels; o++) out.set(source.subarray((b * channels + o) * positions, (b * channels + o + 1) * positions), (o * batch + b) * positions);
  }
  return new Tensor([channels, batch * positions], out);
}

export function conv2dFastCpu(x: Tensor, weight: Tensor, bias: Tensor, geometry: Conv2dGeometry, outShape: readonly [number, number]): Tensor {
  const [batch] = x.shape;
  const [outChannels, inChannels, kernelHeight, kernelWidth] = weight.shape;
  const positions = outShape[0] * outShape[1];
  const Y = allocate(x.dtype, batch * outChannels * positions);
  // BEGIN SOLUTION
  const cols = im2col(x, geometry, [kernelHeight, kernelWidth], outShape);
  const product = matmul(weight.reshape([outChannels, inChannels * kernelHeight * kernelWidth]), cols).data;
  for (let o = 0; o < outChannels; o++) {
    const beta = bias.data[o];
    for (let b = 0; b < batch; b++) {
      const from = (o * batch + b) * positions;
      const to = (b * outChannels + o) * positions;
      for (let p = 0; p < positions; p++) Y[to + p] = product[from + p] + beta;
    }
  }
  // END SOLUTION
  return new Tensor([batch, outChannels, ...outShape], Y);
}

export function conv2dBackwardInputFastCpu(gradOutput: Tensor, weight: Tensor, geometry: Conv2dGeometry, inShape: readonly [number, number]): Tensor {
  const [batch, outChannels, outHeight, outWidth] = gradOutput.shape;
  const [, inChannels, kernelHeight, kernelWidth] = weight.shape;
  // BEGIN SOLUTION
  const dY = batchToColumns(gradOutput, batch, outChannels, outHeight * outWidth);
  const dCols = matmul(transpose(weight.reshape([outChannels, inChannels * kernelHeight * kernelWidth])), dY);
  return col2im(dCols, [batch, inChannels, ...inShape], geometry, [kernelHeight, kernelWidth], [outHeight, outWidth]);
  // END SOLUTION
}

export function conv2dBackwardWeightsFastCpu(x: Tensor, gradOutput: Tensor, geometry: Conv2dGeometry, kernelShape: readonly [number, number]): Tensor {
  const [batch, inChannels] = x.shape;
  const [, outChannels, outHeight, outWidth] = gradOutput.shape;
  const taps = inChannels * kernelShape[0] * kernelShape[1];
  const dW = allocate(x.dtype, outChannels * taps);
  // BEGIN SOLUTION
  const cols = im2col(x, geometry, kernelShape, [outHeight, outWidth]).data;
  const dY = batchToColumns(gradOutput, batch, outChannels, outHeight * outWidth).data;
  const columns = batch * outHeight * outWidth;
  // dW = dY · X_colᵀ, one dot product of two long contiguous rows per weight.
  for (let o = 0; o < outChannels; o++) {
    for (let t = 0; t < taps; t++) {
      let sum = 0;
      for (let q = 0; q < columns; q++) sum += dY[o * columns + q] * cols[t * columns + q];
      dW[o * taps + t] = sum;
    }
  }
  // END SOLUTION
  return new Tensor([outChannels, inChannels, ...kernelShape], dW);
}

const geometryOf = (attributes: Readonly<Record<string, unknown>>): Conv2dGeometry => ({
  stride: attributes.stride as [number, number],
  padBefore: attributes.padBefore as [number, number],
});

/**
 * Replaces the CPU kernels 'conv2d', 'conv2dBackwardInput' and 'conv2dBackwardWeights' with the
 * im2col versions ('conv2dBackwardBias' is already a single pass). Conv layers pick them up at
 * their next call; `useOracleConvKernels` in conv2d-kernels.ts switches back.
 */
export function useFastConvKernels(): void {
  registerKernel('conv2d', 'cpu', ([x, weight, bias], attributes) => conv2dFastCpu(x, weight, bias, geometryOf(attributes), attributes.outShape as [number, number]));
  registerKernel('conv2dBackwardInput', 'cpu', ([gradOutput, weight], attributes) =>
    conv2dBackwardInputFastCpu(gradOutput, weight, geometryOf(attributes), attributes.inShape as [number, number]));
  registerKernel('conv2dBackwardWeights', 'cpu', ([x, gradOutput], attributes) =>
    conv2dBackwardWeightsFastCpu(x, gradOutput, geometryOf(attributes), attributes.kernelShape as [number, number]));
  registerKernel('conv2dBackwardBias', 'cpu', ([gradOutput]) => conv2dBackwardBiasCpu(gradOutput));
}
