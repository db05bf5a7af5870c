import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Global average pooling: one number per channel, the mean of its whole H × W map,
 *   y[b, c] = 1/(H·W) · Σ_{h, w} x[b, c, h, w],   [batch, C, H, W] → [batch, C]
 * ("Global (spatial) average pooling as last layer; less prone to overfitting than final FC layers",
 * seed 004: 5060–5061; with 1×1 convolutions it "enables arbitrary input sizes", 004: 3280–3281). It is
 * AvgPool with the window = the whole image, flattened. Backward: every position of channel c gets
 * ∂L/∂y[b, c] / (H·W). The output is already flat, so a dense classifier can follow directly.
 *
 * Handout: docs/exercises/6-modern.md#globalavgpool
 */
export class GlobalAvgPool extends StatelessLayer {
  readonly name = 'GlobalAvgPool';
  #input?: Tensor;

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'channels', 'height', 'width'], 'GlobalAvgPool.forward');
    expectFinite(input, 'GlobalAvgPool.forward');
    this.#input = input;
    const [batch, channels, height, width] = input.shape;
    const X = input.data;
    const area = height * width;
    const Y = allocate(input.dtype, batch * channels);
    // BEGIN SOLUTION
    for (let plane = 0; plane < batch * channels; plane++) {
      let total = 0;
      for (let p = 0; p < area; p++) total += X[plane * area + p];
      Y[plane] = total / area;
    }
    // END SOLUTION
    return new Tensor([batch, channels], Y);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'GlobalAvgPool.backward');
    const [batch, channels, height, width] = input.shape;
    expectShape(gradOutput.shape, [batch, channels], 'GlobalAvgPool.backward', 'gradOutput');
    const dY = gradOutput.data;
    const area = height * width;
    const dX = allocate(gradOutput.dtype, input.size);
    // BEGIN SOLUTION
    for (let plane = 0; plane < batch * channels; plane++) {
      for (let p = 0; p < area; p++) dX[plane * area + p] = dY[plane] / area;
    }
    // END SOLUTION
    return new Tensor(input.shape, dX);
  }
}
