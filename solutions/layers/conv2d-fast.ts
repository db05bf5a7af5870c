import { defineKernelSet } from '../../framework/backend/kernel-registry.js';
import type { Conv2dGeometry } from '../../framework/backend/kernels.js';
import { conv2dKernelTable } from '../../framework/nn/conv2d-kernel-table.js';
import { matmulInto } from '../../framework/ops/cpu/matmul-into.js';
import { allocate, Tensor, type TypedArray } from '../../framework/tensor/tensor.js';

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
 * The kernels take these products one image at a time: image b's columns X_col,b [C·KH·KW, OH·OW]
 * go into one small buffer that stays in the processor's cache and is reused for the next image,
 * and image b's block of Y_mat, [O, OH·OW], is exactly y[b] in [B, O, OH, OW] order, so nothing is
 * reordered or allocated per image. The products are `matmulInto` (framework/ops/cpu/matmul-into.ts),
 * which reads a transposed operand through swapped strides instead of copying it. (The whole-batch
 * `im2col` and `col2im` below are the same column loops over every image.) The plain loops in
 * conv2d-kernels.ts are the oracle this is tested against
 * (tests/ex2/conv2d-fast.test.ts); `withKernels(fastConvKernels, () => …)` runs Conv on them for one call.
 *
 * Handout: docs/exercises/2-convolutional.md#extension-a-fast-path-im2col
 */

/** The sizes the column loops need, read once per call from the shapes and the geometry. */
export interface ColumnLayout {
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** The layout of an input [B, C, H, W] (C, H and W are read), a kernel [KH, KW] and an output [OH, OW]. */
export function columnLayout(
  inShape: readonly number[],
  geometry: Conv2dGeometry,
  kernelShape: readonly [number, number],
  outShape: readonly [number, number],
): ColumnLayout {
  const [, channels, height, width] = inShape;
  const [kernelHeight, kernelWidth] = kernelShape;
  const [outHeight, outWidth] = outShape;
  const [strideH, strideW] = geometry.stride;
  const [padTop, padLeft] = geometry.padBefore;
  return { channels, height, width, kernelHeight, kernelWidth, outHeight, outWidth, strideH, strideW, padTop, padLeft };
}

/**
 * Writes the columns of one image (its C·H·W values from X[imageOffset]) into a column matrix whose
 * rows are `rowLength` long, starting at column `firstColumn`:
 *   cols[((c·KH + m)·KW + n)·rowLength + firstColumn + i·OW + j] = x[c, i·sh + m − pt, j·sw + n − pl].
 * Padding positions are skipped, not written: they must already hold 0 (they are the same positions
 * for every image, so a buffer zeroed once serves a whole batch).
 */
export function imageToColumns(
  X: TypedArray,
  imageOffset: number,
  cols: TypedArray,
  rowLength: number,
  firstColumn: number,
  layout: ColumnLayout,
): void {
  const { channels, height, width, kernelHeight, kernelWidth, outHeight, outWidth, strideH, strideW, padTop, padLeft } =
    layout;
  // BEGIN SOLUTION
  for (let c = 0; c < channels; c++) {
    const plane = imageOffset + c * height * width;
    for (let m = 0; m < kernelHeight; m++) {
      for (let n = 0; n < kernelWidth; n++) {
        const row = ((c * kernelHeight + m) * kernelWidth + n) * rowLength + firstColumn;
        for (let i = 0; i < outHeight; i++) {
          const r = i * strideH + m - padTop;
          if (r < 0 || r >= height) continue; // the row of zeros is already there
          const at = row + i * outWidth;
          for (let j = 0; j < outWidth; j++) {
            const s = j * strideW + n - padLeft;
            if (s >= 0 && s < width) cols[at + j] = X[plane + r * width + s];
          }
        }
      }
    }
  }
  // END SOLUTION
}

/** The adjoint of imageToColumns: adds every entry of one image's columns to the pixel of dX it was read from. */
export function columnsToImage(
  C: TypedArray,
  rowLength: number,
  firstColumn: number,
  dX: TypedArray,
  imageOffset: number,
  layout: ColumnLayout,
): void {
  const { channels, height, width, kernelHeight, kernelWidth, outHeight, outWidth, strideH, strideW, padTop, padLeft } =
    layout;
  // BEGIN SOLUTION
  for (let c = 0; c < channels; c++) {
    const plane = imageOffset + c * height * width;
    for (let m = 0; m < kernelHeight; m++) {
      for (let n = 0; n < kernelWidth; n++) {
        const row = ((c * kernelHeight + m) * kernelWidth + n) * rowLength + firstColumn;
        for (let i = 0; i < outHeight; i++) {
          const r = i * strideH + m - padTop;
          if (r < 0 || r >= height) continue;
          const at = row + i * outWidth;
          for (let j = 0; j < outWidth; j++) {
            const s = j * strideW + n - padLeft;
            if (s >= 0 && s < width) dX[plane + r * width + s] += C[at + j];
          }
        }
      }
    }
  }
  // END SOLUTION
}

/**
 * X_col[(c·KH + m)·KW + n, (b·OH + i)·OW + j] = x[b, c, i·sh + m − pt, j·sw + n − pl], 0 in the padding.
 */
export function im2col(
  x: Tensor,
  geometry: Conv2dGeometry,
  kernelShape: readonly [number, number],
  outShape: readonly [number, number],
): Tensor {
  const [batch, channels, height, width] = x.shape;
  const [kernelHeight, kernelWidth] = kernelShape;
  const positions = outShape[0] * outShape[1];
  const columns = batch * positions;
  const cols = allocate(x.dtype, channels * kernelHeight * kernelWidth * columns);
  // BEGIN SOLUTION
  const layout = columnLayout(x.shape, geometry, kernelShape, outShape);
  for (let b = 0; b < batch; b++)
    imageToColumns(x.data, b * channels * height * width, cols, columns, b * positions, layout);
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
  const positions = outShape[0] * outShape[1];
  const dX = allocate(cols.dtype, batch * channels * height * width);
  // BEGIN SOLUTION
  const layout = columnLayout(inShape, geometry, kernelShape, outShape);
  for (let b = 0; b < batch; b++)
    columnsToImage(cols.data, batch * positions, b * positions, dX, b * channels * height * width, layout);
  // END SOLUTION
  return new Tensor(inShape, dX);
}

/** y[b] = W_mat · X_col,b + bias for every image b: the columns of one image at a time, in one reused buffer. */
export function conv2dFastCpu(
  x: Tensor,
  weight: Tensor,
  bias: Tensor,
  geometry: Conv2dGeometry,
  outShape: readonly [number, number],
): Tensor {
  const [batch, inChannels, height, width] = x.shape;
  const [outChannels, , kernelHeight, kernelWidth] = weight.shape;
  const positions = outShape[0] * outShape[1];
  const Y = allocate(x.dtype, batch * outChannels * positions);
  // BEGIN SOLUTION
  const layout = columnLayout(x.shape, geometry, [kernelHeight, kernelWidth], outShape);
  const taps = inChannels * kernelHeight * kernelWidth;
  const cols = new Float64Array(taps * positions);
  const X = x.data;
  const filters = { data: weight.data, offset: 0, rowStride: taps, columnStride: 1 };
  for (let b = 0; b < batch; b++) {
    imageToColumns(X, b * inChannels * height * width, cols, positions, 0, layout);
    // y[b] [O, P] = bias + W_mat [O, T] · cols [T, P], summed straight into y.
    const out = b * outChannels * positions;
    for (let o = 0; o < outChannels; o++) Y.fill(bias.data[o], out + o * positions, out + (o + 1) * positions);
    matmulInto(
      outChannels,
      positions,
      taps,
      filters,
      { data: cols, offset: 0, rowStride: positions, columnStride: 1 },
      { data: Y, offset: out, rowStride: positions },
      true,
    );
  }
  // END SOLUTION
  return new Tensor([batch, outChannels, ...outShape], Y);
}

/** ∂L/∂x[b] = col2im(W_matᵀ · dY_b) for every image b, where dY_b [O, OH·OW] is gradOutput[b] as it lies. */
export function conv2dBackwardInputFastCpu(
  gradOutput: Tensor,
  weight: Tensor,
  geometry: Conv2dGeometry,
  inShape: readonly [number, number],
): Tensor {
  const [batch, outChannels, outHeight, outWidth] = gradOutput.shape;
  const [, inChannels, kernelHeight, kernelWidth] = weight.shape;
  const imageSize = inChannels * inShape[0] * inShape[1];
  const dX = allocate(gradOutput.dtype, batch * imageSize);
  // BEGIN SOLUTION
  const layout = columnLayout(
    [batch, inChannels, inShape[0], inShape[1]],
    geometry,
    [kernelHeight, kernelWidth],
    [outHeight, outWidth],
  );
  const taps = inChannels * kernelHeight * kernelWidth;
  const positions = outHeight * outWidth;
  const dCols = new Float64Array(taps * positions);
  const dY = gradOutput.data;
  // W_matᵀ [T, O] is W_mat [O, T] read with its strides swapped.
  const filtersTransposed = { data: weight.data, offset: 0, rowStride: 1, columnStride: taps };
  for (let b = 0; b < batch; b++) {
    // dCols [T, P] = W_matᵀ · dY_b, where dY_b [O, P] is gradOutput[b] as it lies.
    const gradient = { data: dY, offset: b * outChannels * positions, rowStride: positions, columnStride: 1 };
    matmulInto(taps, positions, outChannels, filtersTransposed, gradient, {
      data: dCols,
      offset: 0,
      rowStride: positions,
    });
    columnsToImage(dCols, positions, 0, dX, b * imageSize, layout);
  }
  // END SOLUTION
  return new Tensor([batch, inChannels, ...inShape], dX);
}

/** ∂L/∂w = Σ_b dY_b · X_col,bᵀ: each image's columns built once, in one reused buffer. */
export function conv2dBackwardWeightsFastCpu(
  x: Tensor,
  gradOutput: Tensor,
  geometry: Conv2dGeometry,
  kernelShape: readonly [number, number],
): Tensor {
  const [batch, inChannels, height, width] = x.shape;
  const [, outChannels, outHeight, outWidth] = gradOutput.shape;
  const taps = inChannels * kernelShape[0] * kernelShape[1];
  const dW = allocate(x.dtype, outChannels * taps);
  // BEGIN SOLUTION
  const layout = columnLayout(x.shape, geometry, kernelShape, [outHeight, outWidth]);
  const positions = outHeight * outWidth;
  const cols = new Float64Array(taps * positions);
  const X = x.data;
  const dY = gradOutput.data;
  // X_col,bᵀ [P, T] is the buffer [T, P] read with its strides swapped.
  const columnsTransposed = { data: cols, offset: 0, rowStride: 1, columnStride: positions };
  for (let b = 0; b < batch; b++) {
    imageToColumns(X, b * inChannels * height * width, cols, positions, 0, layout);
    // dW [O, T] += dY_b [O, P] · X_col,bᵀ [P, T]
    const gradient = { data: dY, offset: b * outChannels * positions, rowStride: positions, columnStride: 1 };
    matmulInto(
      outChannels,
      taps,
      positions,
      gradient,
      columnsTransposed,
      { data: dW, offset: 0, rowStride: taps },
      true,
    );
  }
  // END SOLUTION
  return new Tensor([outChannels, inChannels, ...kernelShape], dW);
}

/**
 * The im2col versions of 'conv2d', 'conv2dBackwardInput' and 'conv2dBackwardWeights' ('conv2dBackwardBias'
 * is already a single pass) as a kernel set: nothing is registered, so the plain loops stay the CPU
 * kernels, and a caller opts in for one call (a training run, a benchmark):
 *   withKernels(fastConvKernels, () => network.fit({ data, iterations: 100, batchSize: 32 }))
 */
export const fastConvKernels = defineKernelSet(
  'conv im2col fast path',
  'cpu',
  conv2dKernelTable({
    forward: conv2dFastCpu,
    backwardInput: conv2dBackwardInputFastCpu,
    backwardWeights: conv2dBackwardWeightsFastCpu,
  }),
);
