import { cached } from '../../framework/tensor/checks.js';
import { formatShape, sameShape } from '../../framework/tensor/shape.js';
import { ShapeError } from '../../framework/errors.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Flatten: [batch, d1, …, dn] → [batch, d1·…·dn], "converting the data into a 1-dimensional array"
 * so a fully connected layer can follow the convolutions (seed 001: 501–508).
 * The order is row-major, the order the elements already have: for an image [batch, C, H, W] the
 * feature index is (c·H + h)·W + w, channel-major, as in PyTorch (no seed fixes it, catalogue §6).
 * Backward reshapes ∂L/∂y back to the input's shape; nothing is computed.
 *
 * Handout: docs/exercises/2-convolutional.md#flatten
 */
export class Flatten extends StatelessLayer {
  readonly name = 'Flatten';
  #inputShape?: readonly number[];

  forward(input: Tensor): Tensor {
    if (input.rank < 2)
      throw new ShapeError(
        `Flatten.forward expected input [batch, …] with at least 2 axes, got ${formatShape(input.shape)}`,
      );
    this.#inputShape = input.shape;
    // BEGIN SOLUTION
    const features = input.shape.slice(1).reduce((a, b) => a * b, 1);
    return input.reshape([input.shape[0], features]);
    // END SOLUTION
  }

  backward(gradOutput: Tensor): Tensor {
    const inputShape = cached(this.#inputShape, 'Flatten.backward');
    const features = inputShape.slice(1).reduce((a, b) => a * b, 1);
    if (!sameShape(gradOutput.shape, [inputShape[0], features])) {
      throw new ShapeError(
        `Flatten.backward expected gradOutput ${formatShape([inputShape[0], features])}, got ${formatShape(gradOutput.shape)}`,
      );
    }
    // BEGIN SOLUTION
    return gradOutput.reshape(inputShape);
    // END SOLUTION
  }
}
