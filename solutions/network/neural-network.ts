import { DataLoader } from '../../framework/data/loader.js';
import { checkDataset } from '../../framework/data/dataset.js';
import { ValueError } from '../../framework/errors.js';
import { loadWeights, saveWeights, type SavedWeights } from '../../framework/io/weights.js';
import { cached } from '../../framework/tensor/checks.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Loss } from '../../framework/nn/loss.js';
import type { FitOptions, Network, NetworkOptions } from '../../framework/nn/network.js';
import type { Optimizer } from '../../framework/nn/optimizer.js';
import type { Parameter } from '../../framework/nn/parameter.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * A sequential network with a loss and an optimizer, and its training loop.
 *
 * One training iteration (seed 000: 1033–1049, 004: 2354–2371):
 *   ŷ = f_L(… f_1(x)),  L = loss(ŷ, y) + R(w),  E_L = ∂L/∂ŷ,  E_{l−1} = f_l.backward(E_l),  w ← step(w, ∇w).
 * Gradients accumulate in each Parameter until `zeroGrad`, so each iteration clears them first.
 *
 * Handout: docs/exercises/1-feed-forward.md#neuralnetwork
 */
export class NeuralNetwork implements Network {
  readonly layers: Layer[] = [];
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly rng: Rng;
  readonly #weightsInitializer?: Initializer;
  readonly #biasInitializer?: Initializer;
  #training = true;
  #lastPrediction?: Tensor;

  constructor(options: NetworkOptions) {
    this.loss = options.loss;
    this.optimizer = options.optimizer;
    this.rng = options.rng;
    this.#weightsInitializer = options.weightsInitializer;
    this.#biasInitializer = options.biasInitializer;
  }

  /** Adds a layer at the end; re-initialises its parameters when the network has initialisers. */
  append(layer: Layer): void {
    if (this.#weightsInitializer && this.#biasInitializer && layer.initialize) {
      layer.initialize(this.#weightsInitializer, this.#biasInitializer, this.rng);
    }
    layer.training = this.#training;
    this.layers.push(layer);
  }

  /** Every trainable parameter, layer by layer. */
  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  forward(input: Tensor): Tensor {
    let output = input;
    // BEGIN SOLUTION
    for (const layer of this.layers) output = layer.forward(output);
    // END SOLUTION
    this.#lastPrediction = output;
    return output;
  }

  /** The data loss of `prediction` against `target` plus the regularization loss. */
  computeLoss(prediction: Tensor, target: Tensor): number {
    return this.loss.forward(prediction, target) + this.regularizationLoss();
  }

  /** Sends ∂L/∂prediction from the loss back through the layers; returns ∂L/∂input. */
  backward(): Tensor {
    cached(this.#lastPrediction, 'NeuralNetwork.backward');
    // BEGIN SOLUTION
    let gradient = this.loss.backward();
    for (let i = this.layers.length - 1; i >= 0; i--) gradient = this.layers[i].backward(gradient);
    return gradient;
    // END SOLUTION
  }

  /** Trains for `iterations` mini-batches (epochs wrap and reshuffle); returns the loss of each. */
  fit(options: FitOptions): number[] {
    checkDataset(options.data, 'NeuralNetwork.fit');
    if (!Number.isInteger(options.iterations) || options.iterations < 0) {
      throw new ValueError(`NeuralNetwork.fit: iterations must be a non-negative integer, got ${options.iterations}`);
    }
    const loader = new DataLoader(options.data, { batchSize: options.batchSize, shuffle: true, rng: this.rng });
    const parameters = this.parameters();
    const losses: number[] = [];
    this.train();
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      const batch = loader.next();
      let loss = NaN;
      // BEGIN SOLUTION
      this.optimizer.zeroGrad(parameters);
      loss = this.computeLoss(this.forward(batch.x), batch.y);
      this.backward();
      this.optimizer.step(parameters);
      // END SOLUTION
      losses.push(loss);
      options.onIteration?.(iteration, loss);
    }
    return losses;
  }

  /** The network's output for `input` in evaluation mode (dropout off, running statistics on). */
  predict(input: Tensor): Tensor {
    const wasTraining = this.#training;
    this.eval();
    try {
      return this.forward(input);
    } finally {
      if (wasTraining) this.train();
    }
  }

  train(): void {
    this.#setPhase(true);
  }

  eval(): void {
    this.#setPhase(false);
  }

  get training(): boolean {
    return this.#training;
  }

  /** Σ over the layers' weights of the optimizer's regularizer norm; 0 without a regularizer. */
  regularizationLoss(): number {
    const regularizer = this.optimizer.regularizer;
    if (!regularizer) return 0;
    return this.parameters()
      .filter((p) => p.role === 'weight')
      .reduce((total, p) => total + regularizer.norm(p.value), 0);
  }

  toJSON(): SavedWeights {
    return saveWeights(this.layers);
  }

  fromJSON(json: unknown): void {
    loadWeights(this.layers, json);
  }

  #setPhase(training: boolean): void {
    this.#training = training;
    for (const layer of this.layers) layer.training = training;
  }
}
