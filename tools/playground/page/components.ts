import { optional } from 'playground:optional';
import type { Layer } from '../../../framework/nn/layer.js';
import type { Optimizer } from '../../../framework/nn/optimizer.js';
import type { Rng } from '../../../framework/random/rng.js';
import { ReLU } from '#impl/activations/relu.js';
import { Sigmoid } from '#impl/activations/sigmoid.js';
import { TanH } from '#impl/activations/tanh.js';
import { BatchNorm } from '#impl/layers/batch-norm.js';
import { Conv } from '#impl/layers/conv.js';
import { Dropout } from '#impl/layers/dropout.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { MaxPool } from '#impl/layers/max-pool.js';
import { AdaGrad } from '#impl/optimizers/adagrad.js';
import { Adam } from '#impl/optimizers/adam.js';
import { AdamW } from '#impl/optimizers/adamw.js';
import { Nesterov } from '#impl/optimizers/nesterov.js';
import { RMSProp } from '#impl/optimizers/rmsprop.js';
import { Sgd } from '#impl/optimizers/sgd.js';
import { SgdMomentum } from '#impl/optimizers/sgd-momentum.js';

/** A shape without the batch axis: [features] or [channels, height, width]. */
export type Shape = readonly number[];

/** One entry of the layer menu: how to build the student's layer for an input shape. */
export interface LayerKind {
  readonly kind: string;
  /** The number the editor asks for, if any (units, filters, rate, …). */
  readonly parameter?: {
    readonly label: string;
    readonly value: number;
    readonly min: number;
    readonly max: number;
    readonly step: number;
  };
  /** 'image' layers need [C, H, W]; 'flat' ones [features] (a Flatten goes in front when needed). */
  readonly needs: 'any' | 'image' | 'flat';
  make(input: Shape, parameter: number, rng: Rng): { layer: Layer; output: Shape };
}

const same = (layer: Layer, input: Shape) => ({ layer, output: input });

const builtIn: LayerKind[] = [
  {
    kind: 'FullyConnected',
    parameter: { label: 'units', value: 16, min: 1, max: 256, step: 1 },
    needs: 'flat',
    make: (input, units, rng) => ({ layer: new FullyConnected(input[0], units, { rng }), output: [units] }),
  },
  { kind: 'ReLU', needs: 'any', make: (input) => same(new ReLU(), input) },
  { kind: 'Sigmoid', needs: 'any', make: (input) => same(new Sigmoid(), input) },
  { kind: 'TanH', needs: 'any', make: (input) => same(new TanH(), input) },
  {
    kind: 'Conv',
    parameter: { label: 'filters 3×3', value: 4, min: 1, max: 32, step: 1 },
    needs: 'image',
    make: (input, filters, rng) => ({
      layer: new Conv({ inChannels: input[0], outChannels: filters, kernelSize: [3, 3], rng }),
      output: [filters, input[1], input[2]],
    }),
  },
  {
    kind: 'MaxPool',
    needs: 'image',
    make: (input) => ({
      layer: new MaxPool({ kernelSize: [2, 2], stride: 2 }),
      output: [input[0], Math.floor(input[1] / 2), Math.floor(input[2] / 2)],
    }),
  },
  {
    kind: 'Dropout',
    parameter: { label: 'drop rate', value: 0.2, min: 0, max: 0.9, step: 0.05 },
    needs: 'any',
    make: (input, rate, rng) => same(new Dropout(rate, { rng }), input),
  },
  { kind: 'BatchNorm', needs: 'any', make: (input) => same(new BatchNorm(input[0]), input) },
];

/** The later exercises' layers, when the implementation has them (page/optional-components.ts). */
const later: LayerKind[] = [
  ...['LeakyReLU', 'ELU', 'SELU']
    .filter((kind) => optional[kind])
    .map(
      (kind): LayerKind => ({
        kind,
        needs: 'any',
        make: (input) => same(new (optional[kind] as new () => Layer)(), input),
      }),
    ),
  ...(optional.AvgPool
    ? [
        {
          kind: 'AvgPool',
          needs: 'image' as const,
          make: (input: Shape) => ({
            layer: new (optional.AvgPool as new (o: object) => Layer)({ kernelSize: [2, 2], stride: 2 }),
            output: [input[0], Math.floor(input[1] / 2), Math.floor(input[2] / 2)],
          }),
        },
      ]
    : []),
  ...(optional.LayerNorm
    ? [
        {
          kind: 'LayerNorm',
          needs: 'flat' as const,
          make: (input: Shape) => same(new (optional.LayerNorm as new (n: number) => Layer)(input[0]), input),
        },
      ]
    : []),
];

export const layerKinds: readonly LayerKind[] = [...builtIn, ...later];

export function layerKind(kind: string): LayerKind {
  const found = layerKinds.find((entry) => entry.kind === kind);
  if (!found) throw new Error(`the playground has no layer '${kind}'`);
  return found;
}

/** A learning rate that trains the presets well with each optimizer (the page fills it in on a change). */
export const defaultLearningRates: Record<string, number> = {
  Sgd: 0.3,
  SgdMomentum: 0.05,
  Nesterov: 0.05,
  AdaGrad: 0.1,
  RMSProp: 0.01,
  Adam: 0.01,
  AdamW: 0.01,
};

/** The optimizers the page offers, by name (Sgd first: Exercise 1 is enough to start). */
export const optimizers: Record<string, (lr: number) => Optimizer> = {
  Sgd: (lr) => new Sgd({ lr }),
  SgdMomentum: (lr) => new SgdMomentum({ lr, momentum: 0.9 }),
  Nesterov: (lr) => new Nesterov({ lr, momentum: 0.9 }),
  AdaGrad: (lr) => new AdaGrad({ lr }),
  RMSProp: (lr) => new RMSProp({ lr }),
  Adam: (lr) => new Adam({ lr }),
  AdamW: (lr) => new AdamW({ lr }),
};
