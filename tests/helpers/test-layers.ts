import { add, matmul, mul, Parameter, Rng, StatelessLayer, sum, transpose, zip, type Layer, type Tensor } from '../../framework/index.js';

/**
 * Test-local layers, so that Exercise 3 tests do not depend on the student's FullyConnected or ReLU
 * (DESIGN §5). They are deliberately plain: framework ops, no checks.
 */

/** y = x·W + b with W [in, out] ~ U(−1/√in, 1/√in), b = 0. */
export class Dense implements Layer {
  readonly name = 'Dense (test double)';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;

  constructor(inFeatures: number, outFeatures: number, rng: Rng) {
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = new Parameter('weight', rng.uniformTensor([inFeatures, outFeatures], -bound, bound), 'weight');
    this.bias = new Parameter('bias', rng.uniformTensor([outFeatures], 0, 0), 'bias');
  }

  forward(input: Tensor): Tensor {
    this.#input = input;
    return add(matmul(input, this.weight.value), this.bias.value);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = this.#input as Tensor;
    this.weight.accumulate(matmul(transpose(input), gradOutput));
    this.bias.accumulate(sum(gradOutput, 0));
    return matmul(gradOutput, transpose(this.weight.value));
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

/** max(0, x), derivative 0 at 0. */
export class Rectifier extends StatelessLayer {
  readonly name = 'Rectifier (test double)';
  #input?: Tensor;

  forward(input: Tensor): Tensor {
    this.#input = input;
    return zip(input, input, (x) => (x > 0 ? x : 0));
  }

  backward(gradOutput: Tensor): Tensor {
    return mul(gradOutput, zip(this.#input as Tensor, this.#input as Tensor, (x) => (x > 0 ? 1 : 0)));
  }
}

/** [batch, …] → [batch, rest], and back in backward. */
export class Flattener extends StatelessLayer {
  readonly name = 'Flattener (test double)';
  #shape?: readonly number[];

  forward(input: Tensor): Tensor {
    this.#shape = input.shape;
    return input.reshape([input.shape[0], -1]);
  }

  backward(gradOutput: Tensor): Tensor {
    return gradOutput.reshape(this.#shape as number[]);
  }
}
