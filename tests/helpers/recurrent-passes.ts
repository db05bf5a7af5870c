import { Rng, type Layer, type RecurrentOptions, type Tensor } from '../../framework/index.js';
import { gradientData, intIn, parameterData, tensorData, type TensorData } from '../harness/data.js';
import type { RecurrentBackward, RecurrentKind, RecurrentPass } from './recurrent-definition.js';

/**
 * The Exercise 4 recurrent layers (RNN, LSTM, GRU) as the checks drive them, and their passes recorded
 * as plain data for `verify`: the weights used, x, the initial state(s), y, and after backward ∂L/∂x,
 * every parameter's gradient and ∂L/∂h_0 (∂L/∂c_0). The layer class always comes from the test file,
 * so a helper here never reaches a student component of its own accord.
 */
export interface RecurrentLayerLike extends Layer {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  stateful: boolean;
  initialState: Tensor | undefined;
  gradInitialState: Tensor | undefined;
  initialCell?: Tensor | undefined;
  gradInitialCell?: Tensor | undefined;
  resetState(): void;
}

export type RecurrentConstructor<L extends RecurrentLayerLike = RecurrentLayerLike> = new (
  options: RecurrentOptions,
) => L;

/** The sizes most checks use: in 3, H 4, out 2. */
export const SIZES = { inputSize: 3, hiddenSize: 4, outputSize: 2 } as const;

/** A tensor the layer may leave undefined (a carried state, a state's gradient) as data, null when undefined. */
export function optionalTensor(value: Tensor | undefined, what: string): TensorData | null {
  return value === undefined ? null : tensorData(value, what);
}

/** A layer of random sizes (in 1…4, H 1…5, out 1…4) whose weights are drawn from `rng` (not from the constructor's own draws). */
export function randomLayer(Layer: RecurrentConstructor, rng: Rng, stateful = false): RecurrentLayerLike {
  const layer = new Layer({
    inputSize: intIn(rng, 1, 4),
    hiddenSize: intIn(rng, 1, 5),
    outputSize: intIn(rng, 1, 4),
    rng: rng.fork(),
    stateful,
  });
  for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.6));
  return layer;
}

/** The parameter `name` of `layer`, or a failure that says which names parameters() gave instead. */
export function parameterNamed(layer: RecurrentLayerLike, kind: RecurrentKind, name: string) {
  const parameters = layer.parameters();
  const found = parameters.find((p) => p.name === name);
  if (!found)
    throw new Error(
      `${kind}.parameters() has no parameter named '${name}' (it has ${parameters.map((p) => `'${p.name}'`).join(', ')})`,
    );
  return found;
}

/**
 * A layer of the given sizes whose parameters are set by name to `weights` (a worked example of the
 * handout, the NumPy reference's weights); the ones not named keep the constructor's draws from Rng(1).
 */
export function layerWithWeights<L extends RecurrentLayerLike>(
  kind: RecurrentKind,
  Layer: RecurrentConstructor<L>,
  options: Omit<RecurrentOptions, 'rng'>,
  weights: Readonly<Record<string, Tensor>>,
): L {
  const layer = new Layer({ ...options, rng: new Rng(1) });
  for (const [name, value] of Object.entries(weights)) parameterNamed(layer, kind, name).assign(value);
  return layer;
}

/**
 * backward of `upstream` (= ∂L/∂y) through `layer` after its forward, from zeroed gradients, as data:
 * what backward returned, each parameter's gradient and the initial state(s)' gradients.
 */
export function backwardRecord(
  kind: RecurrentKind,
  layer: RecurrentLayerLike,
  upstream: Tensor,
  what = `${kind}.backward`,
): RecurrentBackward {
  for (const parameter of layer.parameters()) parameter.zeroGrad();
  const dx = tensorData(layer.backward(upstream), what);
  return {
    upstream: tensorData(upstream, 'upstream gradient'),
    dx,
    grads: gradientData(layer.parameters(), `${kind}.backward`),
    dh0: optionalTensor(layer.gradInitialState, `${kind}.gradInitialState`),
    ...(kind === 'LSTM' ? { dc0: optionalTensor(layer.gradInitialCell, `${kind}.gradInitialCell`) } : {}),
  };
}

/**
 * One forward (and backward) pass of `layer` as data: from random initial states when `initial`
 * (from none otherwise), on a random x [batch, time, in], with a random upstream gradient.
 */
export function recurrentPass(
  kind: RecurrentKind,
  layer: RecurrentLayerLike,
  rng: Rng,
  options: { batch: number; time: number; initial?: boolean; backward?: boolean },
): RecurrentPass {
  const { batch, time, initial = true, backward = true } = options;
  const H = layer.hiddenSize;
  layer.initialState = initial ? rng.normalTensor([batch, H], 0, 0.5) : undefined;
  if (kind === 'LSTM') layer.initialCell = initial ? rng.normalTensor([batch, H], 0, 0.5) : undefined;
  const pass = forwardPass(kind, layer, rng.normalTensor([batch, time, layer.inputSize]));
  if (!backward) return pass;
  return { ...pass, backward: backwardRecord(kind, layer, rng.normalTensor([batch, time, layer.outputSize])) };
}

/** forward of `layer` on `x` from whatever initial state it holds, as data with the weights and states it used. */
export function forwardPass(kind: RecurrentKind, layer: RecurrentLayerLike, x: Tensor): RecurrentPass {
  const weights = parameterData(layer.parameters(), `${kind}.parameters()`);
  const h0 = optionalTensor(layer.initialState, `${kind}.initialState`);
  const c0 = kind === 'LSTM' ? { c0: optionalTensor(layer.initialCell, `${kind}.initialCell`) } : {};
  return { weights, x: tensorData(x, 'x'), h0, ...c0, y: tensorData(layer.forward(x), `${kind}.forward`) };
}
