import type { Layer } from '../../../framework/nn/layer.js';
import { Rng } from '../../../framework/random/rng.js';
import { SoftMax } from '#impl/activations/softmax.js';
import { Flatten } from '#impl/layers/flatten.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { CrossEntropyLoss } from '#impl/losses/cross-entropy-loss.js';
import { NeuralNetwork } from '#impl/network/neural-network.js';
import { layerKind, optimizers, type Shape } from './components.js';
import type { Problem } from './datasets.js';

/** One row of the layer editor. */
export interface LayerSpec {
  readonly kind: string;
  readonly parameter: number;
}

/** Everything the page needs to build and train a network. */
export interface NetworkSpec {
  readonly layers: readonly LayerSpec[];
  readonly optimizer: string;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly seed: number;
}

/** Presets per data set (the editor starts from these). */
export const presetLayers: Record<string, LayerSpec[]> = {
  spiral: [
    { kind: 'FullyConnected', parameter: 32 },
    { kind: 'ReLU', parameter: 0 },
    { kind: 'FullyConnected', parameter: 32 },
    { kind: 'ReLU', parameter: 0 },
  ],
  xor: [
    { kind: 'FullyConnected', parameter: 8 },
    { kind: 'TanH', parameter: 0 },
  ],
  circles: [
    { kind: 'FullyConnected', parameter: 8 },
    { kind: 'ReLU', parameter: 0 },
  ],
  iris: [
    { kind: 'FullyConnected', parameter: 10 },
    { kind: 'ReLU', parameter: 0 },
  ],
  digits: [
    { kind: 'Conv', parameter: 4 },
    { kind: 'ReLU', parameter: 0 },
    { kind: 'MaxPool', parameter: 0 },
  ],
};

/**
 * The student's network for a problem: the editor's layers (a Flatten goes in front of the first
 * layer that needs flat input), then FullyConnected to the classes and SoftMax, with
 * CrossEntropyLoss and the chosen optimizer, all from the student's implementation.
 */
export function buildNetwork(problem: Problem, spec: NetworkSpec): NeuralNetwork {
  const rng = new Rng(spec.seed);
  const optimizer = optimizers[spec.optimizer];
  if (!optimizer) throw new Error(`unknown optimizer '${spec.optimizer}'`);
  const network = new NeuralNetwork({ optimizer: optimizer(spec.learningRate), loss: new CrossEntropyLoss(), rng });
  let shape: Shape = problem.inputShape;
  const append = (layer: Layer, output: Shape) => {
    network.append(layer);
    shape = output;
  };
  const flatten = () => {
    if (shape.length > 1) append(new Flatten(), [shape.reduce((a, b) => a * b, 1)]);
  };
  for (const { kind, parameter } of spec.layers) {
    const entry = layerKind(kind);
    if (entry.needs === 'flat') flatten();
    if (entry.needs === 'image' && shape.length !== 3) {
      throw new Error(
        `${kind} needs images [channels, height, width], but here the input is [${shape.join(', ')}]: use it on Digits, before any FullyConnected`,
      );
    }
    const { layer, output } = entry.make(shape, parameter, rng);
    append(layer, output);
  }
  flatten();
  append(new FullyConnected(shape[0], problem.classNames.length, { rng }), [problem.classNames.length]);
  append(new SoftMax(), shape);
  return network;
}
