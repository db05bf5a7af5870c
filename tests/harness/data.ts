import { types } from 'node:util';
import { Tensor } from '../../framework/tensor/tensor.js';
import {
  gradientCheck,
  lossGradientCheck,
  type GradientCheckOptions,
  type GradientCheckReport,
  type GradientComparison,
} from '../../framework/check/gradient-check.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Loss } from '../../framework/nn/loss.js';
import type { Parameter } from '../../framework/nn/parameter.js';
import type { Rng } from '../../framework/random/rng.js';
import { NotDataError } from './plain-data.js';

/**
 * What a check's `run` uses to turn what the student's code returned into plain data. Each helper
 * first checks that the value really is what the method promises (a genuine Tensor, a number), so a
 * wrong return type fails with a sentence that names the method, not a type error deep in `verify`.
 */

/** A tensor as plain data: `shape` and the row-major `data`. */
export interface TensorData {
  readonly shape: number[];
  readonly data: number[];
}

/** `{ shape, data }` of a CPU tensor; anything that is not a genuine Tensor is an error that names `what`. */
export function tensorData(value: unknown, what: string): TensorData {
  if (types.isProxy(value)) throw new NotDataError(`${what} returned a Proxy, not a Tensor`);
  if (!(value instanceof Tensor)) throw new NotDataError(`${what} returned ${describe(value)}, not a Tensor`);
  const shape = Array.from(value.shape, Number);
  const elements = value.data;
  if (types.isProxy(elements) || (!(elements instanceof Float64Array) && !(elements instanceof Float32Array))) {
    throw new NotDataError(`${what} returned a Tensor whose data is not a Float64Array or Float32Array`);
  }
  const size = shape.reduce((product, dim) => product * dim, 1);
  if (elements.length !== size)
    throw new NotDataError(
      `${what} returned a Tensor of shape [${shape.join(', ')}] holding ${elements.length} elements`,
    );
  return { shape, data: Array.from(elements) };
}

/** A number returned by the student's code (a loss), refusing objects that only pretend to be one. */
export function numberData(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new NotDataError(`${what} returned ${describe(value)}, not a number`);
  return value;
}

/** Each parameter's accumulated gradient, by parameter name. */
export function gradientData(parameters: readonly Parameter[], what: string): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const parameter of parameters)
    out[parameter.name] = tensorData(parameter.grad, `${what} (gradient of '${parameter.name}')`);
  return out;
}

/** Each parameter's value, by parameter name. */
export function parameterData(parameters: readonly Parameter[], what: string): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const parameter of parameters)
    out[parameter.name] = tensorData(parameter.value, `${what} (value of '${parameter.name}')`);
  return out;
}

/** An error as data: its name and message, or null when `action` returned normally. */
export interface ErrorData {
  readonly name: string;
  readonly message: string;
}

/**
 * The error `action` throws, as data (null when it returns), for checks that bad input is refused with
 * the right error. A stub's NotImplementedError goes on up, so the check reads "not implemented yet".
 * The refusals are often bookkeeping a stub keeps (a shape check in given code): call into the
 * student's code with valid input first, or the stubs would earn the check.
 */
export function thrown(action: () => unknown): ErrorData | null {
  try {
    action();
  } catch (error) {
    const record = error !== null && typeof error === 'object' ? (error as { name?: unknown; message?: unknown }) : {};
    const name = typeof record.name === 'string' ? record.name : `a thrown ${typeof error}`;
    if (name === 'NotImplementedError') throw error;
    return { name, message: typeof record.message === 'string' ? record.message.slice(0, 500) : '' };
  }
  return null;
}

/** The gradient check of a layer (input and every parameter) as data; `verify` with `expectGradientsMatch`. */
export function layerGradients(layer: Layer, input: Tensor, options: GradientCheckOptions = {}): GradientData {
  return { layer: layer.name, ...gradientCheck(layer, input, options) };
}

/** The gradient check of a loss with respect to its prediction, as data. */
export function lossGradients(
  loss: Loss,
  prediction: Tensor,
  target: Tensor,
  options: { h?: number; tiny?: number } = {},
): GradientData {
  const input = lossGradientCheck(loss, prediction, target, options);
  return { layer: loss.name, input, parameters: [], worst: input, maxRelativeError: input.maxRelativeError };
}

export interface GradientData extends GradientCheckReport {
  readonly layer: string;
}
export type { GradientComparison };

/** Sample statistics of a tensor's values in units of the expected `scale` (see `sampleStatistics`). */
export interface SampleStatistics {
  readonly count: number;
  /** mean / scale: about 0 for a zero-mean draw. */
  readonly mean: number;
  /** (biased) variance / scale²: about 1 when the draw has the expected spread. */
  readonly variance: number;
  /** E[(x − μ)⁴] / σ⁴ of the sample: 3 for a normal, 1.8 for a uniform distribution. */
  readonly kurtosis: number;
  /** min / scale and max / scale, only with `bounds` (for bounded distributions). */
  readonly min?: number;
  readonly max?: number;
}

/**
 * Statistics of a random tensor (an initializer's draw, a dropout mask), standardised by the `scale`
 * the distribution should have. Random draws are compared by their distribution, never value by value:
 * a correct implementation that consumes the Rng in another order draws other numbers. With 50 000
 * values the sampling noise of mean, variance and kurtosis is below 0.01, 0.01 and 0.035, so a
 * tolerance of 0.05 passes any correct draw and fails a wrong σ, range or distribution.
 */
export function sampleStatistics(
  value: unknown,
  scale: number,
  what: string,
  options: { bounds?: boolean } = {},
): SampleStatistics {
  const { data } = tensorData(value, what);
  const count = data.length;
  let total = 0;
  for (const v of data) total += v;
  const mean = total / count;
  let second = 0;
  let fourth = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    const d = (v - mean) ** 2;
    second += d;
    fourth += d * d;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const variance = second / count;
  const statistics = {
    count,
    mean: mean / scale,
    variance: variance / (scale * scale),
    kurtosis: variance > 0 ? fourth / count / (variance * variance) : 0,
  };
  return options.bounds ? { ...statistics, min: min / scale, max: max / scale } : statistics;
}

/** The class of each row of a one-hot target (kit data, not the student's output). */
export function labelsOf(oneHot: Tensor): number[] {
  const classes = oneHot.shape[oneHot.shape.length - 1];
  const labels: number[] = [];
  for (let row = 0; row < oneHot.size / classes; row++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (oneHot.data[row * classes + k] > oneHot.data[row * classes + best]) best = k;
    labels.push(best);
  }
  return labels;
}

/** A random integer in [low, high] (shapes drawn from a check's seed). */
export function intIn(rng: Rng, low: number, high: number): number {
  return low + rng.int(high - low + 1);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}
