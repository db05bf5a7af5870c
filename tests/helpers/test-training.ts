import {
  accuracy,
  allocate,
  DataLoader,
  Rng,
  selectRows,
  Tensor,
  type Dataset,
  type Layer,
  type Loss,
  type Optimizer,
  type Parameter,
} from '../../framework/index.js';

/**
 * A test-local training loop for Exercise 3 and later: layers in sequence, a test-local
 * softmax-cross-entropy on logits, a test-local optimizer. Tests of a component use it instead of
 * the student's NeuralNetwork, SoftmaxCrossEntropyLoss and Sgd (DESIGN §1, §5).
 */

/** Softmax + cross-entropy on logits, mean over the batch (test double of Exercise 1's loss). */
export class LogitsCrossEntropy implements Loss {
  readonly name = 'LogitsCrossEntropy (test double)';
  readonly reduction = 'mean' as const;
  #gradient?: Tensor;

  forward(logits: Tensor, target: Tensor): number {
    const [batch, classes] = logits.shape;
    const z = logits.data;
    const y = target.data;
    const gradient = allocate('float64', logits.size);
    let loss = 0;
    for (let row = 0; row < batch; row++) {
      const offset = row * classes;
      let largest = -Infinity;
      for (let k = 0; k < classes; k++) largest = Math.max(largest, z[offset + k]);
      let total = 0;
      for (let k = 0; k < classes; k++) total += Math.exp(z[offset + k] - largest);
      for (let k = 0; k < classes; k++) {
        const logProbability = z[offset + k] - largest - Math.log(total);
        loss -= y[offset + k] * logProbability;
        gradient[offset + k] = (Math.exp(logProbability) - y[offset + k]) / batch;
      }
    }
    this.#gradient = new Tensor(logits.shape, gradient);
    return loss / batch;
  }

  backward(): Tensor {
    if (!this.#gradient) throw new Error('LogitsCrossEntropy.backward before forward');
    return this.#gradient;
  }
}

export function parametersOf(layers: readonly Layer[]): Parameter[] {
  return layers.flatMap((layer) => layer.parameters());
}

export function setTraining(layers: readonly Layer[], training: boolean): void {
  for (const layer of layers) layer.training = training;
}

export function forwardAll(layers: readonly Layer[], x: Tensor): Tensor {
  return layers.reduce((output, layer) => layer.forward(output), x);
}

/** Trains `layers` in training mode for `iterations` seeded mini-batches; returns the loss of each. */
export function trainLayers(
  layers: readonly Layer[],
  data: Dataset,
  options: { optimizer: Optimizer; iterations: number; batchSize: number; seed: number; loss?: Loss },
): number[] {
  const loss = options.loss ?? new LogitsCrossEntropy();
  const loader = new DataLoader(data, { batchSize: options.batchSize, shuffle: true, rng: new Rng(options.seed) });
  const parameters = parametersOf(layers);
  const losses: number[] = [];
  setTraining(layers, true);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const batch = loader.next();
    options.optimizer.zeroGrad(parameters);
    losses.push(loss.forward(forwardAll(layers, batch.x), batch.y));
    let gradient = loss.backward();
    for (let i = layers.length - 1; i >= 0; i--) gradient = layers[i].backward(gradient);
    options.optimizer.step(parameters);
  }
  return losses;
}

/** The outputs of `layers` in evaluation mode, in chunks; leaves the layers in evaluation mode. */
export function predictEval(layers: readonly Layer[], x: Tensor, chunk = 256): Tensor {
  setTraining(layers, false);
  const rows = x.shape[0];
  const parts: Tensor[] = [];
  for (let start = 0; start < rows; start += chunk) {
    const indices = Array.from({ length: Math.min(chunk, rows - start) }, (_, i) => start + i);
    parts.push(forwardAll(layers, selectRows(x, indices)));
  }
  const width = parts[0].size / parts[0].shape[0];
  const out = allocate('float64', rows * width);
  let offset = 0;
  for (const part of parts) {
    out.set(part.data, offset);
    offset += part.size;
  }
  return new Tensor([rows, ...parts[0].shape.slice(1)], out);
}

/** Accuracy of `layers` (evaluation mode) on a labelled dataset. */
export function evalAccuracy(layers: readonly Layer[], data: Dataset): number {
  return accuracy(predictEval(layers, data.x), data.y);
}
