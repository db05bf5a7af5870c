import { Parameter, Tensor, type Layer, type Rng } from '../../framework/index.js';

/**
 * The tests' one dense layer, y = x·W + b with W [in, out] and b [out], so that a check of any other
 * component does not depend on the student's FullyConnected (DESIGN §5). Written per output element
 * with plain loops, deliberately unlike the reference FullyConnected (a double must not hand out its
 * lines); backward by the chain rule, one example at a time:
 *   ∂L/∂x[n, i] = Σ_o W[i, o]·g[n, o],   ∂L/∂W[i, o] += Σ_n x[n, i]·g[n, o],   ∂L/∂b[o] += Σ_n g[n, o].
 */
export class DenseDouble implements Layer {
  readonly name: string = 'DenseDouble';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;

  constructor(weight: Tensor, bias: Tensor) {
    this.weight = new Parameter('weight', weight, 'weight');
    this.bias = new Parameter('bias', bias, 'bias');
  }

  get inFeatures(): number {
    return this.weight.value.shape[0];
  }

  get outFeatures(): number {
    return this.weight.value.shape[1];
  }

  forward(input: Tensor): Tensor {
    this.#input = input;
    const batch = input.shape[0];
    const { inFeatures: inputs, outFeatures: outputs } = this;
    // The arrays are read once: the training checks run this thousands of times.
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
    const input = this.#input;
    if (input === undefined) throw new Error('DenseDouble.backward before forward');
    const batch = input.shape[0];
    const { inFeatures: inputs, outFeatures: outputs } = this;
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
    return new Tensor(input.shape, gradInput);
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

/**
 * How `denseDouble` draws W and b from the generator, in this order:
 * * 'he': W ~ N(0, √(2/in)), b = 0 (nothing drawn); for ReLU networks (the CNN checks).
 * * 'uniform': W, b ~ U(−1/√in, 1/√in), PyTorch's nn.Linear default.
 * * 'uniform-weights': W ~ U(−1/√in, 1/√in), b = 0, still drawn (as U(0, 0)), so that the layers
 *   drawn after it from the same generator get the values the Exercise 3 and 6 checks were set with.
 */
export type DenseInitialization = 'he' | 'uniform' | 'uniform-weights';

/** A DenseDouble [inFeatures → outFeatures] with its W and b drawn from `rng` (see DenseInitialization). */
export function denseDouble(
  inFeatures: number,
  outFeatures: number,
  rng: Rng,
  initialization: DenseInitialization = 'he',
): DenseDouble {
  if (initialization === 'he') {
    return new DenseDouble(
      rng.normalTensor([inFeatures, outFeatures], 0, Math.sqrt(2 / inFeatures)),
      new Tensor([outFeatures], new Float64Array(outFeatures)),
    );
  }
  const bound = 1 / Math.sqrt(inFeatures);
  const weight = rng.uniformTensor([inFeatures, outFeatures], -bound, bound);
  const bias =
    initialization === 'uniform'
      ? rng.uniformTensor([outFeatures], -bound, bound)
      : rng.uniformTensor([outFeatures], 0, 0);
  return new DenseDouble(weight, bias);
}
