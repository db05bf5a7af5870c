import { StatelessLayer, type Layer } from '../framework/nn/layer.js';
import { Parameter } from '../framework/nn/parameter.js';
import { BaseOptimizer, type OptimizerOptions } from '../framework/nn/optimizer.js';
import { allocate, Tensor } from '../framework/tensor/tensor.js';
import type { Loss, Reduction } from '../framework/nn/loss.js';
import type { Regularizer } from '../framework/nn/regularizer.js';
import type { Rng } from '../framework/random/rng.js';

/**
 * Case-local doubles: tiny, obviously correct stand-ins (plain loops) for the components a case does not
 * grade, so a NeuralNetwork case does not depend on the student's own layers, loss or optimizer
 * (DESIGN §5: components are graded independently). None of them is the reference solution.
 */

/** y = x·W + b with plain loops; W [in, out]. */
export class LinearDouble implements Layer {
  readonly name = 'LinearDouble';
  training = true;
  readonly weight: Parameter;
  readonly bias: Parameter;
  #input?: Tensor;

  constructor(weight: Tensor, bias: Tensor) {
    this.weight = new Parameter('weight', weight, 'weight');
    this.bias = new Parameter('bias', bias, 'bias');
  }

  forward(input: Tensor): Tensor {
    this.#input = input;
    const [batch, inputs] = input.shape;
    const outputs = this.weight.value.shape[1];
    const y = allocate('float64', batch * outputs);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < outputs; j++) {
        let total = this.bias.value.data[j];
        for (let i = 0; i < inputs; i++) total += input.data[b * inputs + i] * this.weight.value.data[i * outputs + j];
        y[b * outputs + j] = total;
      }
    }
    return new Tensor([batch, outputs], y);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = this.#input as Tensor;
    const [batch, inputs] = input.shape;
    const outputs = this.weight.value.shape[1];
    const dx = allocate('float64', batch * inputs);
    const dw = allocate('float64', inputs * outputs);
    const db = allocate('float64', outputs);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < outputs; j++) {
        const g = gradOutput.data[b * outputs + j];
        db[j] += g;
        for (let i = 0; i < inputs; i++) {
          dw[i * outputs + j] += input.data[b * inputs + i] * g;
          dx[b * inputs + i] += this.weight.value.data[i * outputs + j] * g;
        }
      }
    }
    this.weight.accumulate(new Tensor([inputs, outputs], dw));
    this.bias.accumulate(new Tensor([outputs], db));
    return new Tensor([batch, inputs], dx);
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }
}

/** Multiplies by a constant and writes every call into `log` (to check the order of the calls). */
export class RecordingLayer extends StatelessLayer {
  readonly name: string;

  constructor(
    readonly label: string,
    readonly factor: number,
    readonly log: string[],
  ) {
    super();
    this.name = `Recording ${label}`;
  }

  forward(input: Tensor): Tensor {
    this.log.push(`${this.label}.forward(training=${this.training})`);
    return new Tensor(input.shape, input.data.map((v) => v * this.factor));
  }

  backward(gradOutput: Tensor): Tensor {
    this.log.push(`${this.label}.backward`);
    return new Tensor(gradOutput.shape, gradOutput.data.map((v) => v * this.factor));
  }
}

/** Mean squared error over the batch: L = Σ (ŷ − y)² / batch. */
export class MseDouble implements Loss {
  readonly name = 'MseDouble';
  readonly reduction: Reduction = 'mean';
  #difference?: Tensor;

  forward(prediction: Tensor, target: Tensor): number {
    const difference = prediction.data.map((v, i) => v - target.data[i]);
    this.#difference = new Tensor(prediction.shape, difference);
    let total = 0;
    for (const d of difference) total += d * d;
    return total / prediction.shape[0];
  }

  backward(): Tensor {
    const difference = this.#difference as Tensor;
    return new Tensor(difference.shape, difference.data.map((d) => (2 * d) / difference.shape[0]));
  }
}

/** Softmax cross-entropy on logits, mean over the batch (for classification cases). */
export class SoftmaxCrossEntropyDouble implements Loss {
  readonly name = 'SoftmaxCrossEntropyDouble';
  readonly reduction: Reduction = 'mean';
  #gradient?: Tensor;

  forward(logits: Tensor, target: Tensor): number {
    const [batch, classes] = logits.shape;
    const gradient = allocate('float64', logits.size);
    let loss = 0;
    for (let b = 0; b < batch; b++) {
      const row = Array.from(logits.data.subarray(b * classes, (b + 1) * classes));
      const largest = Math.max(...row);
      const exps = row.map((z) => Math.exp(z - largest));
      const total = exps.reduce((a, e) => a + e, 0);
      for (let k = 0; k < classes; k++) {
        const p = exps[k] / total;
        const y = target.data[b * classes + k];
        if (y !== 0) loss -= y * Math.log(p);
        gradient[b * classes + k] = (p - y) / batch;
      }
    }
    this.#gradient = new Tensor(logits.shape, gradient);
    return loss / batch;
  }

  backward(): Tensor {
    return this.#gradient as Tensor;
  }
}

/** w ← w − lr·g with plain loops (and the regularizer of `options`, applied by BaseOptimizer). */
export class SgdDouble extends BaseOptimizer {
  readonly name = 'SgdDouble';

  constructor(lr: number, options: OptimizerOptions = {}) {
    super(lr, options);
  }

  protected update(value: Tensor, grad: Tensor): Tensor {
    return new Tensor(value.shape, value.data.map((v, i) => v - this.learningRate * grad.data[i]));
  }
}

/** Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected) with plain loops, for the whole-network cases. */
export class AdamDouble extends BaseOptimizer {
  readonly name = 'AdamDouble';

  constructor(lr: number, options: OptimizerOptions = {}) {
    super(lr, options);
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const step = ((state.get('step') as number | undefined) ?? 0) + 1;
    const first = (state.get('first') as Tensor | undefined) ?? new Tensor(value.shape, allocate('float64', value.size));
    const second = (state.get('second') as Tensor | undefined) ?? new Tensor(value.shape, allocate('float64', value.size));
    const m = first.data.map((v, i) => 0.9 * v + 0.1 * grad.data[i]);
    const v = second.data.map((r, i) => 0.999 * r + 0.001 * grad.data[i] * grad.data[i]);
    state.set('step', step);
    state.set('first', new Tensor(value.shape, m));
    state.set('second', new Tensor(value.shape, v));
    return new Tensor(value.shape, value.data.map((w, i) => w - (this.learningRate * (m[i] / (1 - 0.9 ** step))) / (Math.sqrt(v[i] / (1 - 0.999 ** step)) + 1e-8)));
  }
}

/** The kit's L2 penalty (DESIGN §3): gradient α·w, norm α·Σw². */
export class L2Double implements Regularizer {
  readonly name = 'L2Double';

  constructor(readonly alpha: number) {}

  gradient(weights: Tensor): Tensor {
    return new Tensor(weights.shape, weights.data.map((w) => this.alpha * w));
  }

  norm(weights: Tensor): number {
    let total = 0;
    for (const w of weights.data) total += w * w;
    return this.alpha * total;
  }
}

/** max(0, x), derivative 0 at 0 (for the whole-network cases of Exercises 2 and 3). */
export class ReluDouble extends StatelessLayer {
  readonly name = 'ReluDouble';
  #input?: Tensor;

  forward(input: Tensor): Tensor {
    this.#input = input;
    return new Tensor(input.shape, input.data.map((v) => (v > 0 ? v : 0)));
  }

  backward(gradOutput: Tensor): Tensor {
    const input = this.#input as Tensor;
    return new Tensor(gradOutput.shape, gradOutput.data.map((g, i) => (input.data[i] > 0 ? g : 0)));
  }
}

/** [batch, …] → [batch, ∏ …] and back, row-major. */
export class FlattenDouble extends StatelessLayer {
  readonly name = 'FlattenDouble';
  #shape?: readonly number[];

  forward(input: Tensor): Tensor {
    this.#shape = input.shape;
    return new Tensor([input.shape[0], input.size / input.shape[0]], input.data);
  }

  backward(gradOutput: Tensor): Tensor {
    return new Tensor(this.#shape as readonly number[], gradOutput.data);
  }
}

/**
 * The optimizer tests' problem (tests/ex2/reference/optimizer_trajectories.py): L = ½·Σ a ⊙ (p − c)²
 * over a weight [4] and a bias [2], so ∂L/∂p = a ⊙ (p − c). A loss double for the optimizer cases.
 */
export class QuadraticProblem {
  static readonly start = { weight: [0.5, -1.5, 2, 0], bias: [1, -0.25] };
  static readonly curvature = { weight: [1, 4, 0.5, 2], bias: [3, 0.2] };
  static readonly target = { weight: [1, 0.5, -1, 0.25], bias: [0, 2] };

  /** A weight and a bias at their start values. */
  static parameters(): Parameter[] {
    return [
      new Parameter('weight', new Tensor([4], Float64Array.from(QuadraticProblem.start.weight)), 'weight'),
      new Parameter('bias', new Tensor([2], Float64Array.from(QuadraticProblem.start.bias)), 'bias'),
    ];
  }

  /** grad ← a ⊙ (p − c) at the current values (replacing any earlier gradient). */
  static setGradients(parameters: readonly Parameter[]): void {
    for (const parameter of parameters) {
      const key = parameter.name as 'weight' | 'bias';
      const a = QuadraticProblem.curvature[key];
      const c = QuadraticProblem.target[key];
      parameter.grad = new Tensor(parameter.value.shape, parameter.value.data.map((p, i) => a[i] * (p - c[i])));
    }
  }
}

/**
 * A stand-in for the Digits data set, which the sandbox cannot read: `count` 8×8 images [count, 1, 8, 8]
 * in [0, 1] of four classes of strokes at random positions (0: a vertical bar, 1: a horizontal bar,
 * 2: a diagonal, 3: an anti-diagonal, each 2 pixels wide), on noise U[0, 0.15). A small CNN separates
 * them after a few dozen steps; the position varies, so convolution and pooling are what make it easy.
 */
export function strokeImages(rng: Rng, count: number): { x: Tensor; y: Tensor; labels: number[] } {
  const x = allocate('float64', count * 64);
  const y = allocate('float64', count * 4);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const label = rng.int(4);
    const offset = rng.int(7);
    const shift = rng.int(5) - 2;
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        const onStroke = [j - offset, i - offset, j - i - shift, i + j - 7 - shift][label];
        x[n * 64 + i * 8 + j] = onStroke === 0 || onStroke === 1 ? 1 : 0.15 * rng.uniform();
      }
    }
    y[n * 4 + label] = 1;
    labels.push(label);
  }
  return { x: new Tensor([count, 1, 8, 8], x), y: new Tensor([count, 4], y), labels };
}
