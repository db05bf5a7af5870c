import { registerKernel, runKernel } from '../../framework/backend/kernel-registry.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape, formatShape } from '../../framework/tensor/shape.js';
import { ShapeError } from '../../framework/errors.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { poolingWindow, type PoolingOptions } from '../../framework/nn/pooling-window.js';
import type { Pool2dAttributes } from '../../framework/backend/kernels.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/** Pooling window [ph, pw] and stride [sh, sw]: the attributes of the kernels 'maxPool2d' and 'maxPool2dBackward'. */
export type PoolGeometry = Pool2dAttributes;

/**
 * Max pooling forward, 'valid' (no padding), per channel (seed 004: 3222–3227, 000: 2173–2202):
 *   y[b, c, i, j] = max_{m < ph, n < pw} x[b, c, i·sh + m, j·sw + n],  oh = ⌊(H − ph)/sh⌋ + 1.
 * Kernel 'maxPool2d': inputs [x [B, C, H, W]], attributes { kernel: [ph, pw], stride: [sh, sw] },
 * output y [B, C, oh, ow].
 *
 * Handout: docs/exercises/2-convolutional.md#maxpool
 */
export function maxPool2dCpu(input: Tensor, geometry: PoolGeometry): Tensor {
  const [batch, channels, height, width] = input.shape;
  const [poolHeight, poolWidth] = geometry.kernel;
  const [strideH, strideW] = geometry.stride;
  const outHeight = Math.floor((height - poolHeight) / strideH) + 1;
  const outWidth = Math.floor((width - poolWidth) / strideW) + 1;
  const X = input.data;
  const Y = allocate(input.dtype, batch * channels * outHeight * outWidth);
  // BEGIN SOLUTION
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        let largest = -Infinity;
        for (let m = 0; m < poolHeight; m++) {
          for (let n = 0; n < poolWidth; n++)
            largest = Math.max(largest, X[(plane * height + i * strideH + m) * width + j * strideW + n]);
        }
        Y[(plane * outHeight + i) * outWidth + j] = largest;
      }
    }
  }
  // END SOLUTION
  return new Tensor([batch, channels, outHeight, outWidth], Y);
}

/**
 * Max pooling backward: "Error is propagated only along the path of the maximum value"
 * (004: 3231–3236). Each window sends its ∂L/∂y to the position of its maximum; overlapping windows
 * (stride < window) that share a maximum add their gradients there. On a tie the **first** maximum in
 * row-major order gets it (no seed fixes a tie rule, catalogue §6). Kernel 'maxPool2dBackward':
 * inputs [x [B, C, H, W], gradOutput [B, C, oh, ow]], attributes as 'maxPool2d', output ∂L/∂x.
 */
export function maxPool2dBackwardCpu(input: Tensor, gradOutput: Tensor, geometry: PoolGeometry): Tensor {
  const [batch, channels, height, width] = input.shape;
  const [, , outHeight, outWidth] = gradOutput.shape;
  const [poolHeight, poolWidth] = geometry.kernel;
  const [strideH, strideW] = geometry.stride;
  const X = input.data;
  const dY = gradOutput.data;
  const dX = allocate(gradOutput.dtype, input.size);
  // BEGIN SOLUTION
  for (let plane = 0; plane < batch * channels; plane++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        let argmax = -1;
        for (let m = 0; m < poolHeight; m++) {
          for (let n = 0; n < poolWidth; n++) {
            const at = (plane * height + i * strideH + m) * width + j * strideW + n;
            if (argmax < 0 || X[at] > X[argmax]) argmax = at; // strict >: a later equal value does not win
          }
        }
        dX[argmax] += dY[(plane * outHeight + i) * outWidth + j];
      }
    }
  }
  // END SOLUTION
  return new Tensor(input.shape, dX);
}

registerKernel('maxPool2d', 'cpu', ([x], attributes) => maxPool2dCpu(x, attributes));
registerKernel('maxPool2dBackward', 'cpu', ([x, dy], attributes) => maxPool2dBackwardCpu(x, dy, attributes));

/**
 * Max-pooling layer over [batch, C, H, W]: window [ph, pw], stride (default = the window, so the
 * windows tile the input, 004: 3225), no padding. A stride smaller than the window gives
 * overlapping windows (AlexNet: size 3, stride 2, 004: 5013).
 *
 * Handout: docs/exercises/2-convolutional.md#maxpool
 */
export class MaxPool extends StatelessLayer {
  readonly name = 'MaxPool';
  readonly kernelSize: readonly [number, number];
  readonly stride: readonly [number, number];
  #input?: Tensor;

  constructor(options: PoolingOptions) {
    super();
    ({ kernelSize: this.kernelSize, stride: this.stride } = poolingWindow(options, 'MaxPool'));
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'channels', 'height', 'width'], 'MaxPool.forward');
    if (input.shape[2] < this.kernelSize[0] || input.shape[3] < this.kernelSize[1]) {
      throw new ShapeError(
        `MaxPool.forward: window ${formatShape(this.kernelSize)} does not fit input ${formatShape(input.shape)}`,
      );
    }
    expectFinite(input, 'MaxPool.forward');
    this.#input = input;
    return runKernel('maxPool2d', [input], { kernel: this.kernelSize, stride: this.stride });
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'MaxPool.backward');
    const [batch, channels, height, width] = input.shape;
    const outHeight = Math.floor((height - this.kernelSize[0]) / this.stride[0]) + 1;
    const outWidth = Math.floor((width - this.kernelSize[1]) / this.stride[1]) + 1;
    expectShape(gradOutput.shape, [batch, channels, outHeight, outWidth], 'MaxPool.backward', 'gradOutput');
    return runKernel('maxPool2dBackward', [input, gradOutput], { kernel: this.kernelSize, stride: this.stride });
  }
}
