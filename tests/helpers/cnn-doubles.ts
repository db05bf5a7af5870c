import {
  accuracy,
  DataLoader,
  loadDigits,
  type Parameter,
  Rng,
  Tensor,
  trainTestSplit,
  type Layer,
  type LabelledDataset,
} from '../../framework/index.js';
import { ConvDouble } from './conv-double.js';
import { denseDouble } from './dense-double.js';

/**
 * Test-local stand-ins for the layers, loss and optimizer around the component under test, so a
 * training test fails only because of that component (DESIGN §5). Plain loops, float64. The dense
 * layer is tests/helpers/dense-double.ts.
 */

/** max(0, x), derivative 0 at 0. */
export class ReluDouble implements Layer {
  readonly name = 'ReluDouble';
  training = true;
  #input?: Tensor;
  forward(x: Tensor): Tensor {
    this.#input = x;
    return new Tensor(
      x.shape,
      x.data.map((v) => (v > 0 ? v : 0)),
    );
  }
  backward(dy: Tensor): Tensor {
    const x = (this.#input as Tensor).data;
    return new Tensor(
      dy.shape,
      dy.data.map((g, i) => (x[i] > 0 ? g : 0)),
    );
  }
  parameters(): Parameter[] {
    return [];
  }
}

/** 2×2 max pooling, stride 2, on [B, C, H, W] with even H and W. */
export class MaxPoolDouble implements Layer {
  readonly name = 'MaxPoolDouble';
  training = true;
  #argmax?: Int32Array;
  #inputShape?: readonly number[];
  forward(x: Tensor): Tensor {
    const [batch, channels, height, width] = x.shape;
    const oh = height / 2;
    const ow = width / 2;
    const y = new Float64Array(batch * channels * oh * ow);
    const argmax = new Int32Array(y.length);
    const input = x.data;
    for (let p = 0; p < batch * channels; p++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let best = -1;
          for (let m = 0; m < 2; m++)
            for (let n = 0; n < 2; n++) {
              const at = (p * height + 2 * i + m) * width + 2 * j + n;
              if (best < 0 || input[at] > input[best]) best = at;
            }
          y[(p * oh + i) * ow + j] = input[best];
          argmax[(p * oh + i) * ow + j] = best;
        }
    this.#argmax = argmax;
    this.#inputShape = x.shape;
    return new Tensor([batch, channels, oh, ow], y);
  }
  backward(dy: Tensor): Tensor {
    const shape = this.#inputShape as readonly number[];
    const dx = new Float64Array(shape.reduce((a, b) => a * b, 1));
    const argmax = this.#argmax as Int32Array;
    const upstream = dy.data;
    for (let q = 0; q < argmax.length; q++) dx[argmax[q]] += upstream[q];
    return new Tensor(shape, dx);
  }
  parameters(): Parameter[] {
    return [];
  }
}

export class FlattenDouble implements Layer {
  readonly name = 'FlattenDouble';
  training = true;
  #shape?: readonly number[];
  forward(x: Tensor): Tensor {
    this.#shape = x.shape;
    return new Tensor([x.shape[0], x.size / x.shape[0]], x.data);
  }
  backward(dy: Tensor): Tensor {
    return new Tensor(this.#shape as readonly number[], dy.data);
  }
  parameters(): Parameter[] {
    return [];
  }
}

/** Mean softmax cross-entropy of logits [B, K] against one-hot targets, and its gradient (ŷ − y)/B. */
export function softmaxCrossEntropy(logits: Tensor, target: Tensor): { loss: number; grad: Tensor } {
  const [batch, classes] = logits.shape;
  const grad = new Float64Array(logits.size);
  let loss = 0;
  const [z, targets] = [logits.data, target.data];
  for (let b = 0; b < batch; b++) {
    const row = z.subarray(b * classes, (b + 1) * classes);
    let largest = -Infinity;
    for (let k = 0; k < classes; k++) largest = Math.max(largest, row[k]);
    let total = 0;
    for (let k = 0; k < classes; k++) total += Math.exp(row[k] - largest);
    for (let k = 0; k < classes; k++) {
      const p = Math.exp(row[k] - largest) / total;
      const y = targets[b * classes + k];
      if (y > 0) loss -= y * Math.log(p);
      grad[b * classes + k] = (p - y) / batch;
    }
  }
  return { loss: loss / batch, grad: new Tensor(logits.shape, grad) };
}

/** Adam (β₁ 0.9, β₂ 0.999, ε 1e-8, bias-corrected) over a list of parameters, plain loops. */
export class AdamDouble {
  #step = 0;
  readonly #moments = new Map<Parameter, [Float64Array, Float64Array]>();
  constructor(readonly lr: number) {}
  zeroGrad(parameters: readonly Parameter[]): void {
    for (const p of parameters) p.zeroGrad();
  }
  step(parameters: readonly Parameter[]): void {
    this.#step++;
    for (const p of parameters) {
      const [m, v] = this.#moments.get(p) ?? [new Float64Array(p.value.size), new Float64Array(p.value.size)];
      this.#moments.set(p, [m, v]);
      const w = Float64Array.from(p.value.data);
      for (let i = 0; i < w.length; i++) {
        const g = p.grad.data[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        w[i] -= (this.lr * (m[i] / (1 - 0.9 ** this.#step))) / (Math.sqrt(v[i] / (1 - 0.999 ** this.#step)) + 1e-8);
      }
      p.assign(new Tensor(p.value.shape, w));
    }
  }
}

/** Anything with step/zeroGrad over parameters: an implementation under test or AdamDouble. */
export interface StepsParameters {
  step(parameters: readonly Parameter[]): void;
  zeroGrad(parameters: readonly Parameter[]): void;
}

let digits: { train: LabelledDataset; test: LabelledDataset } | undefined;

/** Digits as [n, 1, 8, 8] images, split 2/3 train, 1/3 test (stratified, seed 7), loaded once per file. */
export function digitsSplit(): { train: LabelledDataset; test: LabelledDataset } {
  digits ??= trainTestSplit(loadDigits({ layout: 'image' }), { rng: new Rng(7) });
  return digits;
}

/**
 * Trains `layers` (ending in logits) with softmax cross-entropy and `optimizer` on the Digits
 * training split and returns the accuracy on the held-out third. Seeded and deterministic.
 */
export function trainOnDigits(
  layers: Layer[],
  optimizer: StepsParameters,
  options: { iterations: number; batchSize: number; seed: number; flat?: boolean },
): number {
  const { train, test } = digitsSplit();
  const reshape = (x: Tensor): Tensor => (options.flat ? new Tensor([x.shape[0], 64], x.data) : x);
  const loader = new DataLoader(
    { x: reshape(train.x), y: train.y },
    { batchSize: options.batchSize, rng: new Rng(options.seed) },
  );
  const parameters = layers.flatMap((layer) => layer.parameters());
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const batch = loader.next();
    optimizer.zeroGrad(parameters);
    let output = batch.x;
    for (const layer of layers) output = layer.forward(output);
    let gradient = softmaxCrossEntropy(output, batch.y).grad;
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    optimizer.step(parameters);
  }
  let output = reshape(test.x);
  for (const layer of layers) output = layer.forward(output);
  return accuracy(output, test.y);
}

/**
 * The Digits CNN of the handout with any part replaced by the implementation under test:
 * Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → Dense(64→32) → ReLU → Dense(32→10).
 */
export function digitsCnn(parts: { conv?: Layer; pool?: Layer; flatten?: Layer }, rng: Rng): Layer[] {
  return [
    parts.conv ?? ConvDouble.same(1, 4, [8, 8], [3, 3], rng),
    new ReluDouble(),
    parts.pool ?? new MaxPoolDouble(),
    parts.flatten ?? new FlattenDouble(),
    denseDouble(64, 32, rng),
    new ReluDouble(),
    denseDouble(32, 10, rng),
  ];
}
