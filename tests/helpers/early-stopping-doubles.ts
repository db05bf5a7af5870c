import {
  loadWeights,
  Rng,
  saveWeights,
  selectRows,
  type FitOptions,
  type Layer,
  type Network,
  type Optimizer,
  type Tensor,
} from '../../framework/index.js';
import { Rectifier } from './test-layers.js';
import { denseDouble } from './dense-double.js';
import { PlainSgd } from './test-optimizers.js';
import { forwardAll, LogitsCrossEntropy, predictEval, setTraining, trainLayers } from './test-training.js';

/**
 * Test doubles for Exercise 6's EarlyStopping: a small Network (the framework interface) built from
 * test-local layers, loss and SGD, so that the given loop `fitEpochs` can train it without the
 * student's NeuralNetwork (DESIGN §5); and the early-stopping rule written out for `verify`.
 */
export class LayersNetwork implements Network {
  readonly loss = new LogitsCrossEntropy();
  readonly optimizer: Optimizer;
  readonly layers: Layer[];
  readonly #rng: Rng;

  constructor(layers: Layer[], options: { lr: number; rng: Rng }) {
    this.layers = layers;
    this.optimizer = new PlainSgd({ lr: options.lr });
    this.#rng = options.rng;
  }

  append(layer: Layer): void {
    this.layers.push(layer);
  }

  forward(input: Tensor): Tensor {
    return forwardAll(this.layers, input);
  }

  computeLoss(prediction: Tensor, target: Tensor): number {
    return this.loss.forward(prediction, target);
  }

  backward(): Tensor {
    return [...this.layers].reverse().reduce((gradient, layer) => layer.backward(gradient), this.loss.backward());
  }

  /** One call = a fresh shuffle (a seed drawn from the network's Rng), as NeuralNetwork.fit does. */
  fit(options: FitOptions): number[] {
    const seed = this.#rng.int(0x7fffffff);
    return trainLayers(this.layers, options.data, {
      optimizer: this.optimizer,
      iterations: options.iterations,
      batchSize: options.batchSize,
      seed,
      loss: this.loss,
    });
  }

  predict(input: Tensor): Tensor {
    return predictEval(this.layers, input);
  }

  train(): void {
    setTraining(this.layers, true);
  }

  eval(): void {
    setTraining(this.layers, false);
  }

  regularizationLoss(): number {
    return 0;
  }

  toJSON(): unknown {
    return saveWeights(this.layers);
  }

  fromJSON(json: unknown): void {
    loadWeights(this.layers, json);
  }
}

/** An 8 → 64 → ReLU → 4 MLP (the overfitting setup of tests/helpers/overfitting.ts) as a LayersNetwork. */
export function overfittingNetwork(seed: number): LayersNetwork {
  const rng = new Rng(seed);
  return new LayersNetwork(
    [denseDouble(8, 64, rng, 'uniform-weights'), new Rectifier(), denseDouble(64, 4, rng, 'uniform-weights')],
    { lr: 0.5, rng },
  );
}

/** The first `count` rows of a labelled set (validation) and the rest (test). */
export function splitRows<T extends { x: Tensor; y: Tensor; labels: readonly number[] }>(data: T, count: number) {
  const all = Array.from({ length: data.x.shape[0] }, (_, i) => i);
  const pick = (indices: number[]) => ({
    x: selectRows(data.x, indices),
    y: selectRows(data.y, indices),
    labels: indices.map((i) => data.labels[i]),
  });
  return { first: pick(all.slice(0, count)), rest: pick(all.slice(count)) };
}

/** What the rule says after each epoch. */
export interface EarlyStoppingTraceEntry {
  readonly improved: boolean;
  readonly bestEpoch: number;
  readonly bestLoss: number;
  readonly epochsWithoutImprovement: number;
  readonly stop: boolean;
}

/**
 * The rule (seed 004: 3594–3599, Keras' min_delta): an epoch improves when loss < best − minDelta; then
 * the best moves and the count restarts at 0, otherwise the count grows by one; stop at count ≥ patience.
 */
export function earlyStoppingTrace(
  losses: readonly number[],
  patience: number,
  minDelta: number,
): EarlyStoppingTraceEntry[] {
  let bestLoss = Infinity;
  let bestEpoch = -1;
  let wait = 0;
  return losses.map((loss, epoch) => {
    const improved = loss < bestLoss - minDelta;
    if (improved) {
      bestLoss = loss;
      bestEpoch = epoch;
      wait = 0;
    } else wait += 1;
    return { improved, bestEpoch, bestLoss, epochsWithoutImprovement: wait, stop: wait >= patience };
  });
}
