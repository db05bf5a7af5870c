import { types } from 'node:util';
import { Tensor } from '../framework/tensor/tensor.js';
import type { Rng } from '../framework/random/rng.js';
import type { Parameter } from '../framework/nn/parameter.js';

/**
 * What a grader case file is written with. A case runs INSIDE the sandbox against the student's code
 * (and, separately, against solutions/ in the trusted reference process) and returns plain data:
 * numbers, strings, booleans, arrays and plain objects, with tensors turned into `{ shape, data }` by
 * `tensorData`. It never decides pass or fail: the orchestrator compares what it returned with what the
 * same case returned on the reference, so a case must return raw outputs and gradients, never verdicts
 * (a verdict computed in the sandbox could be forged by a patched Math or Array.prototype).
 *
 * Import only framework modules (by relative path), `#impl/…` and this file: the bundle that runs in the
 * sandbox is built from those imports, and a case must not read files (the sandbox has none).
 */

/** How the orchestrator compares the student's data with the reference's. */
export type Comparison =
  /** Every number within `tolerance` (absolute plus relative: |a − b| ≤ tol·(1 + |b|)); the rest equal. */
  | { readonly kind: 'close'; readonly tolerance?: number }
  /** Deep equality of every value. */
  | { readonly kind: 'exact' }
  /**
   * Classification: the data is `{ predictions: number[], labels: number[] }`; the student's predictions
   * are scored against the REFERENCE's labels, and the case passes at `threshold` accuracy or more.
   * `leaderboard` puts the accuracy in the report's leaderboard field (the challenge exercise).
   */
  | { readonly kind: 'accuracy'; readonly threshold: number; readonly leaderboard?: boolean };

export interface GradingCase {
  /** Unique within the exercise, kebab-case; the report and gradebook name it. */
  readonly id: string;
  /** One line a student reads in the report: what is checked (never the hidden inputs). */
  readonly title: string;
  /** Public cases: share of the component's manifest points (default 1). */
  readonly weight?: number;
  /** Hidden cases: the points this case carries on its own. */
  readonly points?: number;
  readonly compare?: Comparison;
  /** Computes the data to compare. `rng` is seeded per case from the run seed (public cases may ignore it). */
  run(rng: Rng): unknown;
}

export type Visibility = 'public' | 'hidden';

/** One case file: the cases of one component of one exercise, all public or all hidden. */
export interface CaseFile {
  readonly exercise: string;
  readonly component: string;
  readonly visibility: Visibility;
  readonly cases: readonly GradingCase[];
}

/** Public cases (grader/cases/<exercise>/): mirrors of the public tests; their inputs may be shown. */
export function publicCases(exercise: string, component: string, cases: readonly GradingCase[]): CaseFile {
  return { exercise, component, visibility: 'public', cases };
}

/** Hidden cases (grader/hidden/<exercise>/): never handed out; reports show only name, result and points. */
export function hiddenCases(exercise: string, component: string, cases: readonly GradingCase[]): CaseFile {
  return { exercise, component, visibility: 'hidden', cases };
}

/** A tensor as plain data, after checking that it really is one of the framework's tensors. */
export interface TensorData {
  readonly shape: number[];
  readonly data: number[];
}

/** Thrown when the student's code handed back something that is not what the method promises. */
export class NotDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotDataError';
  }
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
  if (elements.length !== size) throw new NotDataError(`${what} returned a Tensor of shape [${shape.join(', ')}] holding ${elements.length} elements`);
  return { shape, data: Array.from(elements) };
}

/** A number returned by the student's code (a loss), refusing objects that only pretend to be one. */
export function numberData(value: unknown, what: string): number {
  if (typeof value !== 'number') throw new NotDataError(`${what} returned ${describe(value)}, not a number`);
  return value;
}

/**
 * The name of the error `action` throws ('none' if it returns), for cases that check that bad input is
 * refused with the right kind of error. A NotImplementedError goes on up, so a stub's case reads "not
 * implemented yet". The refusals are bookkeeping that a stub keeps: put them in a case after a call
 * into the solution region, or the stubs would earn the case.
 */
export function errorName(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    const name = error !== null && typeof error === 'object' && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : `a thrown ${typeof error}`;
    if (name === 'NotImplementedError') throw error;
    return name;
  }
  return 'none';
}

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
export function sampleStatistics(value: unknown, scale: number, what: string, options: { bounds?: boolean } = {}): SampleStatistics {
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
  const statistics = { count, mean: mean / scale, variance: variance / (scale * scale), kurtosis: variance > 0 ? fourth / count / (variance * variance) : 0 };
  return options.bounds ? { ...statistics, min: min / scale, max: max / scale } : statistics;
}

/** Each parameter's accumulated gradient, by parameter name. */
export function gradientData(parameters: readonly Parameter[], what: string): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const parameter of parameters) out[parameter.name] = tensorData(parameter.grad, `${what} (gradient of '${parameter.name}')`);
  return out;
}

/** Each parameter's value, by parameter name. */
export function parameterData(parameters: readonly Parameter[], what: string): Record<string, TensorData> {
  const out: Record<string, TensorData> = {};
  for (const parameter of parameters) out[parameter.name] = tensorData(parameter.value, `${what} (value of '${parameter.name}')`);
  return out;
}

/** A random integer in [low, high] (case inputs drawn from the per-case seed). */
export function intIn(rng: Rng, low: number, high: number): number {
  return low + rng.int(high - low + 1);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return `a ${typeof value}`;
}
