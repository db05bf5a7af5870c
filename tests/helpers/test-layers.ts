import { mul, zip, Parameter, Rng, StatelessLayer, Tensor, type Layer } from '../../framework/index.js';

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
    // Written per output element, unlike the reference FullyConnected (a double must not hand out its lines).
    const [batch, inputs] = input.shape;
    const outputs = this.bias.value.size;
    const [x, w, b] = [input.data, this.weight.value.data, this.bias.value.data];
    const out = new Float64Array(batch * outputs);
    for (let n = 0; n < batch; n++) {
      for (let o = 0; o < outputs; o++) {
        let total = b[o];
        for (let i = 0; i < inputs; i++) total += x[n * inputs + i] * w[i * outputs + o];
        out[n * outputs + o] = total;
      }
    }
    return new Tensor([batch, outputs], out);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = this.#input as Tensor;
    const [batch, inputs] = input.shape;
    const outputs = this.bias.value.size;
    const [x, w, dy] = [input.data, this.weight.value.data, gradOutput.data];
    const gradInput = new Float64Array(batch * inputs);
    const gradWeight = new Float64Array(inputs * outputs);
    const gradBias = new Float64Array(outputs);
    for (let n = 0; n < batch; n++) {
      for (let o = 0; o < outputs; o++) {
        const g = dy[n * outputs + o];
        gradBias[o] += g;
        for (let i = 0; i < inputs; i++) {
          gradWeight[i * outputs + o] += x[n * inputs + i] * g;
          gradInput[n * inputs + i] += w[i * outputs + o] * g;
        }
      }
    }
    this.weight.accumulate(new Tensor([inputs, outputs], gradWeight));
    this.bias.accumulate(new Tensor([outputs], gradBias));
    return new Tensor([batch, inputs], gradInput);
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
