/**
 * Test-local doubles: small, independent stand-ins for the components a test is NOT about, so that
 * a FullyConnected test cannot fail because the student's Sgd or loss is wrong (DESIGN §5).
 * They are written per example with plain loops, deliberately unlike the reference solutions. The
 * dense layer is tests/helpers/dense-double.ts.
 */
import { type Parameter, Tensor, type Layer } from '../../framework/index.js';

/** Row-wise probabilities from logits, for a double loss. */
function probabilitiesOf(logits: Tensor): Float64Array {
  const classes = logits.shape[1];
  const z = logits.data;
  const p = new Float64Array(logits.size);
  for (let row = 0; row < logits.shape[0]; row++) {
    const start = row * classes;
    let top = -Infinity;
    for (let k = 0; k < classes; k++) top = Math.max(top, z[start + k]);
    let total = 0;
    for (let k = 0; k < classes; k++) {
      p[start + k] = Math.exp(z[start + k] - top);
      total += p[start + k];
    }
    for (let k = 0; k < classes; k++) p[start + k] /= total;
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
    const y = target.data;
    for (let i = 0; i < this.#p.length; i++) if (y[i] > 0) loss -= y[i] * Math.log(this.#p[i]);
    return loss / logits.shape[0];
  }

  backward(): Tensor {
    const y = this.#y!;
    const [target, batch] = [y.data, y.shape[0]];
    return new Tensor(
      y.shape,
      this.#p.map((p, i) => (p - target[i]) / batch),
    );
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
    const y = target.data;
    probabilities.data.forEach((p, i) => {
      loss -= y[i] * Math.log(p + 1e-300);
    });
    return loss / probabilities.shape[0];
  }

  backward(): Tensor {
    const p = this.#p!;
    const [y, batch] = [this.#y!.data, p.shape[0]];
    return new Tensor(
      p.shape,
      p.data.map((v, i) => -y[i] / (v + 1e-300) / batch),
    );
  }
}

/** ReLU double: max(0, x) and its mask. */
export class ReluDouble implements Layer {
  readonly name = 'ReluDouble';
  training = true;
  #x?: Tensor;

  forward(x: Tensor): Tensor {
    this.#x = x;
    return new Tensor(
      x.shape,
      x.data.map((v) => Math.max(0, v)),
    );
  }

  backward(gradOutput: Tensor): Tensor {
    const x = this.#x!;
    const input = x.data;
    return new Tensor(
      x.shape,
      gradOutput.data.map((g, i) => (input[i] > 0 ? g : 0)),
    );
  }

  parameters(): Parameter[] {
    return [];
  }
}

/** Plain gradient descent on a list of parameters, as an optimizer double. */
export function sgdStepDouble(parameters: readonly Parameter[], lr: number): void {
  for (const p of parameters) {
    const grad = p.grad.data;
    p.assign(
      new Tensor(
        p.value.shape,
        p.value.data.map((w, i) => w - lr * grad[i]),
      ),
    );
    p.zeroGrad();
  }
}

/** An optimizer double with the framework's Optimizer shape, for NeuralNetwork tests. */
export class SgdDouble {
  readonly name = 'SgdDouble';
  readonly regularizer = undefined;
  constructor(readonly lr: number) {}
  step(parameters: readonly Parameter[]): void {
    for (const p of parameters) {
      const grad = p.grad.data;
      p.assign(
        new Tensor(
          p.value.shape,
          p.value.data.map((w, i) => w - this.lr * grad[i]),
        ),
      );
    }
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
