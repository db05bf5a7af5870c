/**
 * Test-local doubles: small, independent stand-ins for the components a test is NOT about, so that
 * a FullyConnected test cannot fail because the student's Sgd or loss is wrong (DESIGN §5).
 * They are written per example with plain loops, deliberately unlike the reference solutions.
 */
import { Parameter, Tensor, type Layer, type Rng } from '../../framework/index.js';

/** y = x·W + b written as per-row sums; backward by the chain rule, one example at a time. */
export class LinearDouble implements Layer {
  readonly name = 'LinearDouble';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #x?: Tensor;

  constructor(readonly inputs: number, readonly outputs: number, rng: Rng) {
    const bound = 1 / Math.sqrt(inputs);
    this.weight = new Parameter('weight', rng.uniformTensor([inputs, outputs], -bound, bound));
    this.bias = new Parameter('bias', rng.uniformTensor([outputs], -bound, bound), 'bias');
  }

  forward(x: Tensor): Tensor {
    this.#x = x;
    const batch = x.shape[0];
    const out = new Float64Array(batch * this.outputs);
    for (let n = 0; n < batch; n++) {
      for (let o = 0; o < this.outputs; o++) {
        let total = this.bias.value.data[o];
        for (let i = 0; i < this.inputs; i++) total += x.data[n * this.inputs + i] * this.weight.value.data[i * this.outputs + o];
        out[n * this.outputs + o] = total;
      }
    }
    return new Tensor([batch, this.outputs], out);
  }

  backward(gradOutput: Tensor): Tensor {
    const x = this.#x!;
    const batch = x.shape[0];
    const gradInput = new Float64Array(x.size);
    const gradWeight = new Float64Array(this.weight.value.size);
    const gradBias = new Float64Array(this.outputs);
    for (let n = 0; n < batch; n++) {
      for (let o = 0; o < this.outputs; o++) {
        const g = gradOutput.data[n * this.outputs + o];
        gradBias[o] += g;
        for (let i = 0; i < this.inputs; i++) {
          gradWeight[i * this.outputs + o] += x.data[n * this.inputs + i] * g;
          gradInput[n * this.inputs + i] += this.weight.value.data[i * this.outputs + o] * g;
        }
      }
    }
    this.weight.accumulate(new Tensor(this.weight.value.shape, gradWeight));
    this.bias.accumulate(new Tensor([this.outputs], gradBias));
    return new Tensor(x.shape, gradInput);
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

/** Row-wise probabilities from logits, for a double loss. */
function probabilitiesOf(logits: Tensor): Float64Array {
  const classes = logits.shape[1];
  const p = new Float64Array(logits.size);
  for (let row = 0; row < logits.shape[0]; row++) {
    const slice = Array.from(logits.data.subarray(row * classes, (row + 1) * classes));
    const top = Math.max(...slice);
    const exps = slice.map((v) => Math.exp(v - top));
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, k) => (p[row * classes + k] = e / total));
  }
  return p;
}

/** Mean softmax cross-entropy on logits, as a loss double. */
export class SoftmaxCrossEntropyDouble {
  readonly name = 'SoftmaxCrossEntropyDouble';
  readonly reduction = 'mean' as const;
  #p: Float64Array = new Float64Array();
  #y?: Tensor;

  forward(logits: Tensor, target: Tensor): number {
    this.#p = probabilitiesOf(logits);
    this.#y = target;
    let loss = 0;
    for (let i = 0; i < this.#p.length; i++) if (target.data[i] > 0) loss -= target.data[i] * Math.log(this.#p[i]);
    return loss / logits.shape[0];
  }

  backward(): Tensor {
    const y = this.#y!;
    return new Tensor(y.shape, this.#p.map((p, i) => (p - y.data[i]) / y.shape[0]));
  }
}

/** Mean cross-entropy on probabilities, as a loss double (for a network ending in SoftMax). */
export class ProbabilityCrossEntropyDouble {
  readonly name = 'ProbabilityCrossEntropyDouble';
  readonly reduction = 'mean' as const;
  #p?: Tensor;
  #y?: Tensor;

  forward(probabilities: Tensor, target: Tensor): number {
    this.#p = probabilities;
    this.#y = target;
    let loss = 0;
    probabilities.data.forEach((p, i) => (loss -= target.data[i] * Math.log(p + 1e-300)));
    return loss / probabilities.shape[0];
  }

  backward(): Tensor {
    const p = this.#p!;
    const y = this.#y!;
    return new Tensor(p.shape, p.data.map((v, i) => -y.data[i] / (v + 1e-300) / p.shape[0]));
  }
}

/** ReLU double: max(0, x) and its mask. */
export class ReluDouble implements Layer {
  readonly name = 'ReluDouble';
  training = true;
  #x?: Tensor;

  forward(x: Tensor): Tensor {
    this.#x = x;
    return new Tensor(x.shape, x.data.map((v) => Math.max(0, v)));
  }

  backward(gradOutput: Tensor): Tensor {
    const x = this.#x!;
    return new Tensor(x.shape, gradOutput.data.map((g, i) => (x.data[i] > 0 ? g : 0)));
  }

  parameters(): Parameter[] {
    return [];
  }
}

/** Plain gradient descent on a list of parameters, as an optimizer double. */
export function sgdStepDouble(parameters: readonly Parameter[], lr: number): void {
  for (const p of parameters) {
    p.assign(new Tensor(p.value.shape, p.value.data.map((w, i) => w - lr * p.grad.data[i])));
    p.zeroGrad();
  }
}

/** An optimizer double with the framework's Optimizer shape, for NeuralNetwork tests. */
export class SgdDouble {
  readonly name = 'SgdDouble';
  readonly regularizer = undefined;
  constructor(readonly lr: number) {}
  step(parameters: readonly Parameter[]): void {
    for (const p of parameters) p.assign(new Tensor(p.value.shape, p.value.data.map((w, i) => w - this.lr * p.grad.data[i])));
  }
  zeroGrad(parameters: readonly Parameter[]): void {
    for (const p of parameters) p.zeroGrad();
  }
}

/**
 * A test-local training loop (full batch): forward through `layers`, loss double, backward, step.
 * Returns the loss of each iteration.
 */
export function trainDouble(
  layers: readonly Layer[],
  loss: { forward(p: Tensor, y: Tensor): number; backward(): Tensor },
  step: (parameters: Parameter[]) => void,
  x: Tensor,
  y: Tensor,
  iterations: number,
): number[] {
  const losses: number[] = [];
  const parameters = layers.flatMap((layer) => layer.parameters());
  for (let i = 0; i < iterations; i++) {
    let out = x;
    for (const layer of layers) out = layer.forward(out);
    losses.push(loss.forward(out, y));
    let grad = loss.backward();
    for (let l = layers.length - 1; l >= 0; l--) grad = layers[l].backward(grad);
    step(parameters);
  }
  return losses;
}

/** Runs `layers` forward (no training) and returns the output. */
export function forwardAll(layers: readonly Layer[], x: Tensor): Tensor {
  return layers.reduce((out, layer) => layer.forward(out), x);
}
