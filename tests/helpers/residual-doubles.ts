import { StatelessLayer, Tensor } from '../../framework/index.js';

/**
 * Test-local stand-ins for the layers around a residual block or inside a residual CNN, so that
 * Exercise 6's checks of ResidualBlock and of the residual CNN do not depend on other components under
 * test (DESIGN §5). Plain loops, float64.
 */

/** y = factor·x; backward factor·g. Remembers the last gradient it was handed (to see what reached it). */
export class ScaleDouble extends StatelessLayer {
  readonly name = 'ScaleDouble';
  received?: Tensor;

  constructor(readonly factor: number) {
    super();
  }

  forward(input: Tensor): Tensor {
    return new Tensor(
      input.shape,
      input.data.map((v) => this.factor * v),
    );
  }

  backward(gradOutput: Tensor): Tensor {
    this.received = gradOutput;
    return new Tensor(
      gradOutput.shape,
      gradOutput.data.map((g) => this.factor * g),
    );
  }
}

/** y = tanh(x) element-wise: a smooth body for gradient checks (no kink at 0). */
export class TanhDouble extends StatelessLayer {
  readonly name = 'TanhDouble';
  #output?: Tensor;

  forward(input: Tensor): Tensor {
    this.#output = new Tensor(input.shape, input.data.map(Math.tanh));
    return this.#output;
  }

  backward(gradOutput: Tensor): Tensor {
    const y = (this.#output as Tensor).data;
    return new Tensor(
      gradOutput.shape,
      gradOutput.data.map((g, i) => g * (1 - y[i] * y[i])),
    );
  }
}

/**
 * Global average pooling, [batch, C, H, W] → [batch, C]: each channel's mean over its map; backward
 * spreads ∂L/∂y[b, c] / (H·W) over the map (seed 004: 5060–5061). The double of Exercise 6's GlobalAvgPool.
 */
export class GlobalAvgPoolDouble extends StatelessLayer {
  readonly name = 'GlobalAvgPoolDouble';
  #shape?: readonly number[];

  forward(input: Tensor): Tensor {
    this.#shape = input.shape;
    const [batch, channels, height, width] = input.shape;
    const area = height * width;
    const y = new Float64Array(batch * channels);
    for (let q = 0; q < batch * channels; q++) {
      let total = 0;
      for (let p = 0; p < area; p++) total += input.data[q * area + p];
      y[q] = total / area;
    }
    return new Tensor([batch, channels], y);
  }

  backward(gradOutput: Tensor): Tensor {
    const shape = this.#shape as readonly number[];
    const area = shape[2] * shape[3];
    const dx = new Float64Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < dx.length; i++) dx[i] = gradOutput.data[Math.floor(i / area)] / area;
    return new Tensor(shape, dx);
  }
}
