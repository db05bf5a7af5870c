import type { Layer } from './layer.js';
import type { Loss } from './loss.js';
import type { Optimizer } from './optimizer.js';
import type { Initializer } from './initializer.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Dataset } from '../data/dataset.js';

export interface NetworkOptions {
  optimizer: Optimizer;
  loss: Loss;
  /** When given, `append` re-initialises each layer's weights with it. */
  weightsInitializer?: Initializer;
  biasInitializer?: Initializer;
  /** The source of every random number the network uses (initialisation, shuffling, dropout). */
  rng: Rng;
}

export interface FitOptions {
  data: Dataset;
  iterations: number;
  batchSize: number;
  /** Called after every iteration, e.g. to print progress. */
  onIteration?: (iteration: number, loss: number) => void;
}

/**
 * The container of Exercise 1 (its implementation is `solutions/network/neural-network.ts`).
 * `forward` runs the layers; `computeLoss` adds the regularization loss to the data loss;
 * `backward` sends ∂L/∂prediction back through the layers in reverse.
 */
export interface Network {
  readonly layers: readonly Layer[];
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  append(layer: Layer): void;
  forward(input: Tensor): Tensor;
  computeLoss(prediction: Tensor, target: Tensor): number;
  backward(): Tensor;
  fit(options: FitOptions): number[];
  predict(input: Tensor): Tensor;
  train(): void;
  eval(): void;
  regularizationLoss(): number;
  toJSON(): unknown;
  fromJSON(json: unknown): void;
}
