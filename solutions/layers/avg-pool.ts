import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape, formatShape } from '../../framework/tensor/shape.js';
import { ShapeError } from '../../framework/errors.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { poolingWindow, type PoolingOptions } from '../../framework/nn/pooling-window.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Average pooling over [batch, C, H, W], 'valid' (no padding), per channel: "Propagate average of the
 * neighborhood" (seed 004: 3238–3242; LeNet's subsampling, 004: 4991; 000: 2202):
 *   y[b, c, i, j] = 1/(ph·pw) · Σ_{m < ph, n < pw} x[b, c, i·sh + m, j·sw + n],
 * with oh = ⌊(H − ph)/sh⌋ + 1 and ow = ⌊(W − pw)/sw⌋ + 1 positions (000: 2169–2171). Backward: "Error is
 * shared to equal parts" (004: 3242): every input of a window gets ∂L/∂y / (ph·pw) from it, and an input
 * that several windows cover (stride < window) adds up what each sends. Rows and columns that no window
 * reaches get 0. The stride is the window by default, as for MaxPool (004: 3226).
 *
 * Handout: docs/exercises/6-modern.md#avgpool
 */
export class AvgPool extends StatelessLayer {
  readonly name = 'AvgPool';
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  #input?: Tensor;

  constructor(options: PoolingOptions) {
    super();
    ({ kernelSize: this.kernelSize, stride: this.stride } = poolingWindow(options, 'AvgPool'));
  }

  /** [oh, ow] for an input of [height, width]: ⌊(n − p)/s⌋ + 1 per axis (000: 2171). */
  outputSize(height: number, width: number): [number, number] {
    return [
      Math.floor((height - this.kernelSize[0]) / this.stride[0]) + 1,
      Math.floor((width - this.kernelSize[1]) / this.stride[1]) + 1,
    ];
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'channels', 'height', 'width'], 'AvgPool.forward');
    const [batch, channels, height, width] = input.shape;
    if (height < this.kernelSize[0] || width < this.kernelSize[1]) {
      throw new ShapeError(
        `AvgPool.forward: window ${formatShape(this.kernelSize)} does not fit input ${formatShape(input.shape)}`,
      );
    }
    expectFinite(input, 'AvgPool.forward');
    this.#input = input;
    const [poolHeight, poolWidth] = this.kernelSize;
    const [strideH, strideW] = this.stride;
    const [outHeight, outWidth] = this.outputSize(height, width);
    const X = input.data;
    const Y = allocate(input.dtype, batch * channels * outHeight * outWidth);
    // BEGIN SOLUTION
    const area = poolHeight * poolWidth;
    for (let plane = 0; plane < batch * channels; plane++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) {
          let total = 0;
          for (let m = 0; m < poolHeight; m++) {
            for (let n = 0; n < poolWidth; n++)
              total += X[(plane * height + i * strideH + m) * width + j * strideW + n];
          }
          Y[(plane * outHeight + i) * outWidth + j] = total / area;
        }
      }
    }
    // END SOLUTION
    return new Tensor([batch, channels, outHeight, outWidth], Y);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'AvgPool.backward');
    const [batch, channels, height, width] = input.shape;
    const [outHeight, outWidth] = this.outputSize(height, width);
    expectShape(gradOutput.shape, [batch, channels, outHeight, outWidth], 'AvgPool.backward', 'gradOutput');
    const [poolHeight, poolWidth] = this.kernelSize;
    const [strideH, strideW] = this.stride;
    const dY = gradOutput.data;
    const dX = allocate(gradOutput.dtype, input.size);
    // BEGIN SOLUTION
    const area = poolHeight * poolWidth;
    for (let plane = 0; plane < batch * channels; plane++) {
      for (let i = 0; i < outHeight; i++) {
        for (let j = 0; j < outWidth; j++) {
          const share = dY[(plane * outHeight + i) * outWidth + j] / area;
          for (let m = 0; m < poolHeight; m++) {
            for (let n = 0; n < poolWidth; n++)
              dX[(plane * height + i * strideH + m) * width + j * strideW + n] += share;
          }
        }
      }
    }
    // END SOLUTION
    return new Tensor(input.shape, dX);
  }
}
