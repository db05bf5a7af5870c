/**
 * Test-local doubles for the NeuralNetwork checks (Exercise 1): a layer, a loss and an optimizer that
 * write down what the network does with them, so a check's `run` can return the calls and the numbers
 * as plain data and its `verify` can replay the training loop with plain loops. None of them is the
 * reference solution, and none depends on a student component (DESIGN §5).
 */
import {
  type Parameter,
  Tensor,
  type Layer,
  type Loss,
  type Optimizer,
  type Regularizer,
} from '../../framework/index.js';
import { DenseDouble } from './dense-double.js';

/** Multiplies by a constant and writes each call into `log` (to check the order of the calls and the phase). */
export class RecordingLayer implements Layer {
  readonly name: string;
  training = true;

  constructor(
    readonly label: string,
    readonly factor: number,
    readonly log: string[],
  ) {
    this.name = `Recording ${label}`;
  }

  forward(input: Tensor): Tensor {
    this.log.push(`${this.label}.forward(training=${this.training})`);
    return new Tensor(
      input.shape,
      input.data.map((v) => v * this.factor),
    );
  }

  backward(gradOutput: Tensor): Tensor {
    this.log.push(`${this.label}.backward`);
    return new Tensor(
      gradOutput.shape,
      gradOutput.data.map((v) => v * this.factor),
    );
  }

  parameters(): Parameter[] {
    return [];
  }
}

/** What a recording linear layer saw at one backward call: the batch and the weights of the forward pass. */
export interface LinearRecord {
  /** The cached input [batch, in], row-major. */
  readonly x: number[];
  readonly weight: number[];
  readonly bias: number[];
}

/**
 * The dense double (tests/helpers/dense-double.ts) with chosen W [in, out] and b [out]. Each backward
 * call records the input and the weights it was computed from (so verify can tell which batch and
 * which weights each step used).
 */
export class RecordingLinear extends DenseDouble {
  override readonly name = 'RecordingLinear';
  readonly records: LinearRecord[] = [];
  #input?: Tensor;

  constructor(
    weight: Tensor,
    bias: Tensor,
    readonly log?: string[],
  ) {
    super(weight, bias);
  }

  get inputs(): number {
    return this.inFeatures;
  }

  get outputs(): number {
    return this.outFeatures;
  }

  override forward(input: Tensor): Tensor {
    this.log?.push('layer.forward');
    this.#input = input;
    return super.forward(input);
  }

  override backward(gradOutput: Tensor): Tensor {
    this.log?.push('layer.backward');
    const x = this.#input!;
    this.records.push({
      x: Array.from(x.data),
      weight: Array.from(this.weight.value.data),
      bias: Array.from(this.bias.value.data),
    });
    return super.backward(gradOutput);
  }
}

/** What a recording loss saw at one backward call: the target and the value of the forward before it. */
export interface LossRecord {
  readonly target: number[];
  readonly value: number;
}

/** Mean squared error over the batch, L = Σ (ŷ − y)² / batch; each backward records the target and the data loss. */
export class RecordingMse implements Loss {
  readonly name = 'RecordingMse';
  readonly reduction = 'mean' as const;
  readonly records: LossRecord[] = [];
  #difference?: Tensor;
  #target?: Tensor;
  #value = NaN;

  constructor(readonly log?: string[]) {}

  forward(prediction: Tensor, target: Tensor): number {
    this.log?.push('loss.forward');
    const difference = prediction.data.map((v, i) => v - target.data[i]);
    this.#difference = new Tensor(prediction.shape, difference);
    this.#target = target;
    let total = 0;
    for (const d of difference) total += d * d;
    this.#value = total / prediction.shape[0];
    return this.#value;
  }

  backward(): Tensor {
    this.log?.push('loss.backward');
    const difference = this.#difference!;
    this.records.push({ target: Array.from(this.#target!.data), value: this.#value });
    return new Tensor(
      difference.shape,
      difference.data.map((d) => (2 * d) / difference.shape[0]),
    );
  }
}

/**
 * w ← w − lr·g (− lr·∇R(w) for weights when there is a regularizer), plain loops, with the framework's
 * Optimizer shape. Each step records the gradient of every parameter it saw, by parameter name.
 */
export class RecordingSgd implements Optimizer {
  readonly name = 'RecordingSgd';
  readonly steps: Array<Record<string, number[]>> = [];

  constructor(
    readonly lr: number,
    readonly regularizer: Regularizer | undefined = undefined,
    readonly log?: string[],
  ) {}

  step(parameters: readonly Parameter[]): void {
    this.log?.push('optimizer.step');
    this.steps.push(Object.fromEntries(parameters.map((p) => [p.name, Array.from(p.grad.data)])));
    for (const p of parameters) {
      const penalty = this.regularizer && p.role === 'weight' ? this.regularizer.gradient(p.value).data : undefined;
      p.assign(
        new Tensor(
          p.value.shape,
          p.value.data.map((w, i) => w - this.lr * p.grad.data[i] - (penalty ? this.lr * penalty[i] : 0)),
        ),
      );
    }
  }

  zeroGrad(parameters: readonly Parameter[]): void {
    this.log?.push('optimizer.zeroGrad');
    for (const p of parameters) p.zeroGrad();
  }
}

/** A test-local L2 penalty (the real one is Exercise 3's): R(w) = α/2·Σw², ∇R(w) = α·w. */
export function l2RegularizerDouble(alpha: number): Regularizer {
  return {
    name: 'L2RegularizerDouble',
    gradient: (w: Tensor) =>
      new Tensor(
        w.shape,
        w.data.map((v) => alpha * v),
      ),
    norm: (w: Tensor) => {
      let total = 0;
      for (const v of w.data) total += v * v;
      return (alpha / 2) * total;
    },
  };
}

/** One step of full-batch or mini-batch gradient descent on y = x·W + b with the mean squared error, replayed with plain loops. */
export interface LinearMseStep {
  readonly loss: number;
  readonly gradWeight: number[];
  readonly gradBias: number[];
}

/** The loss and the gradients of y = x·W + b under the mean squared error, for one batch (what verify replays). */
export function linearMseStep(
  x: readonly number[],
  target: readonly number[],
  weight: readonly number[],
  bias: readonly number[],
  inputs: number,
  outputs: number,
): LinearMseStep {
  const batch = x.length / inputs;
  const gradWeight = new Array<number>(inputs * outputs).fill(0);
  const gradBias = new Array<number>(outputs).fill(0);
  let loss = 0;
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < outputs; o++) {
      let y = bias[o];
      for (let i = 0; i < inputs; i++) y += x[n * inputs + i] * weight[i * outputs + o];
      const d = y - target[n * outputs + o];
      loss += d * d;
      const e = (2 * d) / batch;
      gradBias[o] += e;
      for (let i = 0; i < inputs; i++) gradWeight[i * outputs + o] += x[n * inputs + i] * e;
    }
  }
  return { loss: loss / batch, gradWeight, gradBias };
}
