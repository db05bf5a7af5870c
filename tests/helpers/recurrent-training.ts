import { Rng, Tensor, type Parameter, type RecurrentOptions } from '../../framework/index.js';
import { tensorData, type TensorData } from '../harness/data.js';
import { accuracyOf, fail } from '../harness/verify.js';

/**
 * Test-local doubles for the Exercise 4 training tests, so that they depend only on the recurrent
 * layer under test: an Adam written out in plain loops (never the student's Adam from Exercise 2),
 * a softmax cross-entropy on chosen time steps (never the student's loss), and the data of the
 * "recall the first symbol" memory task.
 */

/** Adam (Kingma & Ba 2015) with bias correction, in place on `Parameter.value`, then zeroes the gradients. */
export class AdamDouble {
  readonly #moments = new Map<Parameter, { m: Float64Array; v: Float64Array }>();
  #step = 0;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {}

  step(parameters: readonly Parameter[]): void {
    this.#step++;
    const correction1 = 1 - this.beta1 ** this.#step;
    const correction2 = 1 - this.beta2 ** this.#step;
    for (const parameter of parameters) {
      let moments = this.#moments.get(parameter);
      if (!moments) {
        moments = { m: new Float64Array(parameter.value.size), v: new Float64Array(parameter.value.size) };
        this.#moments.set(parameter, moments);
      }
      const { m, v } = moments;
      const w = parameter.value.data.slice();
      const g = parameter.grad.data;
      for (let i = 0; i < w.length; i++) {
        m[i] = this.beta1 * m[i] + (1 - this.beta1) * g[i];
        v[i] = this.beta2 * v[i] + (1 - this.beta2) * g[i] * g[i];
        w[i] -= (this.learningRate * (m[i] / correction1)) / (Math.sqrt(v[i] / correction2) + this.eps);
      }
      parameter.assign(new Tensor(parameter.value.shape, w));
      parameter.zeroGrad();
    }
  }
}

/**
 * Softmax cross-entropy on the logits of the listed time steps only, mean over those steps and the
 * batch. Returns the loss, ∂L/∂logits (zero at the other steps) and the accuracy of the argmax.
 */
export function stepCrossEntropy(
  logits: Tensor,
  labels: readonly (readonly number[])[],
  steps: readonly number[],
): { loss: number; grad: Tensor; accuracy: number } {
  const [batch, time, classes] = logits.shape;
  const z = logits.data;
  const grad = new Float64Array(z.length);
  const count = batch * steps.length;
  let loss = 0;
  let correct = 0;
  for (let b = 0; b < batch; b++) {
    steps.forEach((t, k) => {
      const row = (b * time + t) * classes;
      let largest = -Infinity;
      let best = 0;
      for (let c = 0; c < classes; c++) {
        if (z[row + c] > largest) best = c;
        largest = Math.max(largest, z[row + c]);
      }
      let total = 0;
      for (let c = 0; c < classes; c++) total += Math.exp(z[row + c] - largest);
      const label = labels[b][k];
      loss -= z[row + label] - largest - Math.log(total);
      for (let c = 0; c < classes; c++)
        grad[row + c] = (Math.exp(z[row + c] - largest) / total - (c === label ? 1 : 0)) / count;
      if (best === label) correct++;
    });
  }
  return { loss: loss / count, grad: new Tensor(logits.shape, grad), accuracy: correct / count };
}

/**
 * "Recall the first symbol": a sequence of `length` one-hot symbols out of `symbols`; the target at
 * the last step is the first symbol. Steps 2…T are random distractors from the same alphabet, so the
 * network has to keep one symbol in its state over length − 1 steps of noise.
 */
export function recallFirstBatch(
  rng: Rng,
  batch: number,
  length: number,
  symbols: number,
  marked = false,
): { x: Tensor; labels: number[][] } {
  const features = marked ? symbols + 1 : symbols;
  const x = new Float64Array(batch * length * features);
  const labels: number[][] = [];
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < length; t++) {
      const symbol = rng.int(symbols);
      if (t === 0) labels.push([symbol]);
      x[(b * length + t) * features + symbol] = 1;
      if (marked && t === 0) x[(b * length + t) * features + symbols] = 1;
    }
  }
  return { x: new Tensor([batch, length, features], x), labels };
}

/**
 * The memory task the RNN, LSTM and GRU training checks share, so their numbers compare: remember the
 * first of 15 symbols (1 of 8, marked by a flag channel) over 14 steps of distractors from the same 8
 * symbols, answer at the last step. Chance is 1/8. The LSTM reaches ≥ 0.95 in 150 Adam steps, a plain
 * RNN trained the same way stays below 0.8 (and reaches 1.0 when the lag is 4 steps); the GRU check
 * uses a lag of 6 steps and batches of 16. Each check stays near a second.
 */
export const MEMORY_TASK = {
  length: 15,
  symbols: 8,
  hiddenSize: 16,
  batch: 32,
  iterations: 150,
  learningRate: 0.05,
  clipNorm: 5,
  seed: 1,
  test: 500,
} as const;

/** A fresh `Layer` (the class under test, from its test file) sized for the memory task: one-hot symbols and the flag in, a score per symbol out. */
export function memoryTaskLayer<L>(Layer: new (options: RecurrentOptions) => L): L {
  return new Layer({
    inputSize: MEMORY_TASK.symbols + 1,
    hiddenSize: MEMORY_TASK.hiddenSize,
    outputSize: MEMORY_TASK.symbols,
    rng: new Rng(MEMORY_TASK.seed),
  });
}

/** A layer the memory-task loop can train: forward/backward and its parameters. */
export interface TrainableSequenceLayer {
  readonly name: string;
  forward(x: Tensor): Tensor;
  backward(gradOutput: Tensor): Tensor;
  parameters(): Parameter[];
}

/** What a memory-task run returns for verify: the layer's raw scores at the last step of each test sequence, and the answers. */
export interface MemoryTaskResult {
  /** Shape of what forward returned on the test sequences ([test, length, symbols] when right). */
  readonly outputShape: number[];
  /** The logits of the last step, [test, symbols] (empty when the shape was wrong). */
  readonly scores: TensorData;
  /** The first symbol of each test sequence: the right answer. */
  readonly labels: number[];
}

/**
 * Trains `layer` on the memory task with the Adam double and global-norm clipping (written out here,
 * not the framework's, so that the check depends on the layer only), then runs it on `test` fresh
 * sequences and returns its raw last-step outputs: verify computes the accuracy.
 */
export function trainOnMemoryTask(
  layer: TrainableSequenceLayer,
  options: Partial<Record<keyof typeof MEMORY_TASK, number>> = {},
): MemoryTaskResult {
  const task = { ...MEMORY_TASK, ...options };
  const data = new Rng(task.seed + 100);
  const adam = new AdamDouble(task.learningRate);
  for (let iteration = 0; iteration < task.iterations; iteration++) {
    const { x, labels } = recallFirstBatch(data, task.batch, task.length, task.symbols, true);
    const { grad } = stepCrossEntropy(layer.forward(x), labels, [task.length - 1]);
    layer.backward(grad);
    clipLocally(layer.parameters(), task.clipNorm);
    adam.step(layer.parameters());
  }
  const test = recallFirstBatch(new Rng(999), task.test, task.length, task.symbols, true);
  const output = tensorData(layer.forward(test.x), `${layer.name}.forward`);
  const [count, length, classes] = output.shape;
  const right = output.shape.length === 3 && count === task.test && length === task.length && classes === task.symbols;
  const scores = right
    ? Array.from({ length: count }, (_, b) =>
        output.data.slice(((b + 1) * length - 1) * classes, (b + 1) * length * classes),
      ).flat()
    : [];
  return {
    outputShape: output.shape,
    scores: { shape: right ? [count, classes] : [0, task.symbols], data: scores },
    labels: test.labels.map((l) => l[0]),
  };
}
/** g ← g·c/‖g‖ when the global norm ‖g‖ exceeds c (the same rule as framework clipGradNorm). */
function clipLocally(parameters: readonly Parameter[], maxNorm: number): void {
  let squares = 0;
  for (const parameter of parameters) for (const g of parameter.grad.data) squares += g * g;
  const norm = Math.sqrt(squares);
  if (norm <= maxNorm) return;
  for (const parameter of parameters) {
    const g = parameter.grad.data.slice();
    for (let i = 0; i < g.length; i++) g[i] *= maxNorm / (norm + 1e-6);
    parameter.grad = new Tensor(parameter.grad.shape, g);
  }
}

/** Verify side: the accuracy of a memory-task run, computed from its raw scores (argmax against the first symbol). */
export function memoryTaskAccuracy(result: MemoryTaskResult, layer: string): number {
  const { outputShape, scores, labels } = result;
  if (scores.data.length === 0)
    fail(
      `${layer}.forward on ${labels.length} test sequences returned shape [${outputShape.join(', ')}]; expected [${labels.length}, time, ${scores.shape[1]}]`,
    );
  return accuracyOf(scores, labels);
}
