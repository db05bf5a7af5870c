import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape, expectShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Sinusoidal positional encoding, added to a sequence so that attention can tell positions apart
 * ("additional positional encoding to represent word order", seed 004: 7798; 7819). The seed names it
 * without a formula; the kit uses the Transformer's (Vaswani et al. 2017, the seed's [23]):
 *
 *   PE[pos, 2i] = sin(pos / 10000^(2i/d)),   PE[pos, 2i+1] = cos(pos / 10000^(2i/d))
 *
 * for positions pos = 0 … T−1 and features 0 … d−1 (an odd d ends on a sine). The layer adds it:
 * y[b, t, :] = x[b, t, :] + PE[t, :] on x [batch, T, d]. It has no parameters, and the encoding does not
 * depend on x, so the gradient passes through unchanged: ∂L/∂x = ∂L/∂y.
 *
 * Handout: docs/exercises/6-modern.md#positionalencoding
 */
export class PositionalEncoding extends StatelessLayer {
  readonly name = 'PositionalEncoding';
  /** The table of the last (T, d) used, so that training does not recompute it every step. */
  #table?: Tensor;
  #inputShape?: readonly number[];

  /** PE [time, features] for positions 0 … time − 1. */
  encoding(time: number, features: number): Tensor {
    if (this.#table?.shape[0] === time && this.#table.shape[1] === features) return this.#table;
    const pe = allocate('float64', time * features);
    // Fill pe with PE, row-major [time, features].
    // BEGIN SOLUTION
    for (let pos = 0; pos < time; pos++) {
      for (let i = 0; 2 * i < features; i++) {
        const angle = pos / 10000 ** ((2 * i) / features);
        pe[pos * features + 2 * i] = Math.sin(angle);
        if (2 * i + 1 < features) pe[pos * features + 2 * i + 1] = Math.cos(angle);
      }
    }
    // END SOLUTION
    const table = new Tensor([time, features], pe);
    this.#table = table;
    return table;
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'time', 'features'], 'PositionalEncoding.forward');
    expectFinite(input, 'PositionalEncoding.forward');
    const [batch, time, features] = input.shape;
    const pe = this.encoding(time, features).data;
    const x = input.data;
    const y = allocate(input.dtype, input.size);
    // BEGIN SOLUTION
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < time * features; j++) y[b * time * features + j] = x[b * time * features + j] + pe[j];
    }
    // END SOLUTION
    this.#inputShape = input.shape;
    return new Tensor(input.shape, y);
  }

  backward(gradOutput: Tensor): Tensor {
    const shape = cached(this.#inputShape, 'PositionalEncoding.backward');
    expectSameShape(shape, gradOutput.shape, 'PositionalEncoding.backward', ['input', 'gradOutput']);
    // BEGIN SOLUTION
    return gradOutput.clone();
    // END SOLUTION
  }
}
