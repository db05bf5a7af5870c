import { Rng } from '../random/rng.js';
import { ShapeError } from '../errors.js';
import { formatShape, sameShape, stridesOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from '../nn/layer.js';
import type { Loss } from '../nn/loss.js';

/** How one gradient compared with its centred-difference estimate. */
export interface GradientComparison {
  /** 'input', or the parameter's name. */
  readonly name: string;
  /** max over elements of |a − n| / max(|a|, |n|, tiny). */
  readonly maxRelativeError: number;
  /** Where that maximum sits, as a full index. */
  readonly worstIndex: readonly number[];
  readonly analytic: number;
  readonly numeric: number;
}

export interface GradientCheckReport {
  readonly input: GradientComparison;
  readonly parameters: readonly GradientComparison[];
  /** The worst comparison of all. */
  readonly worst: GradientComparison;
  readonly maxRelativeError: number;
}

export interface GradientCheckOptions {
  /** Step of the centred difference (default 1e-5, the seed's "for practical use", 004: 1585). */
  h?: number;
  /** Floor of the denominator, so two near-zero gradients do not count as a large relative error (default 1e-6). */
  tiny?: number;
  /** The upstream gradient ∂L/∂output; by default a seeded standard-normal tensor. */
  gradOutput?: Tensor;
  /** Seed for the default upstream gradient. */
  seed?: number;
}

/**
 * Centred differences, (f(x + h) − f(x − h)) / 2h, for every element of `values`, compared with
 * `analytic`. `values` is perturbed in place and restored.
 */
export function compareWithNumeric(
  name: string,
  analytic: Tensor,
  values: Tensor,
  objective: () => number,
  options: { h?: number; tiny?: number } = {},
): GradientComparison {
  const h = options.h ?? 1e-5;
  const tiny = options.tiny ?? 1e-6;
  if (!sameShape(analytic.shape, values.shape)) {
    throw new ShapeError(
      `gradient check of '${name}': the analytic gradient has shape ${formatShape(analytic.shape)}, but the values have ${formatShape(values.shape)}`,
    );
  }
  const data = values.data;
  let worst = { error: 0, index: 0, analytic: 0, numeric: 0 };
  for (let i = 0; i < data.length; i++) {
    const original = data[i];
    data[i] = original + h;
    const plus = objective();
    data[i] = original - h;
    const minus = objective();
    data[i] = original;
    const numeric = (plus - minus) / (2 * h);
    const a = analytic.data[i];
    const error = Number.isFinite(a)
      ? Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), tiny)
      : Infinity;
    if (error > worst.error || (i === 0 && error === 0) || Number.isNaN(error))
      worst = { error: Number.isNaN(error) ? Infinity : error, index: i, analytic: a, numeric };
  }
  const strides = stridesOf(values.shape);
  let rest = worst.index;
  const worstIndex = strides.map((stride) => {
    const coordinate = Math.floor(rest / stride);
    rest -= coordinate * stride;
    return coordinate;
  });
  return { name, maxRelativeError: worst.error, worstIndex, analytic: worst.analytic, numeric: worst.numeric };
}

/** Σ upstream ⊙ output: the scalar whose gradient w.r.t. the output is `upstream`. */
function weightedSum(output: Tensor, upstream: Tensor): number {
  let total = 0;
  const a = output.data;
  const b = upstream.data;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

/**
 * Checks a layer's backward pass against centred differences, on the input **and** every parameter,
 * in float64. The scalar checked is L = Σ G ⊙ layer.forward(x) for a fixed upstream gradient G, so
 * ∂L/∂x is exactly what `backward(G)` must return. Parameter gradients are read from
 * `Parameter.grad` after zeroing them, so accumulation bugs show up too.
 */
export function gradientCheck(layer: Layer, input: Tensor, options: GradientCheckOptions = {}): GradientCheckReport {
  const x = input.asType('float64').clone();
  const output = layer.forward(x);
  const upstream = options.gradOutput ?? new Rng(options.seed ?? 1234).normalTensor(output.shape);
  for (const parameter of layer.parameters()) parameter.zeroGrad();
  const gradInput = layer.backward(upstream);
  const objective = (): number => weightedSum(layer.forward(x), upstream);
  const inputComparison = compareWithNumeric('input', gradInput, x, objective, options);
  const parameters = layer
    .parameters()
    .map((parameter) =>
      compareWithNumeric(parameter.name, parameter.grad.clone(), parameter.value, objective, options),
    );
  const all = [inputComparison, ...parameters];
  const worst = all.reduce((a, b) => (b.maxRelativeError > a.maxRelativeError ? b : a));
  return { input: inputComparison, parameters, worst, maxRelativeError: worst.maxRelativeError };
}

/** Checks a loss's backward (∂L/∂prediction) against centred differences of its forward. */
export function lossGradientCheck(
  loss: Loss,
  prediction: Tensor,
  target: Tensor,
  options: { h?: number; tiny?: number } = {},
): GradientComparison {
  const p = prediction.asType('float64').clone();
  loss.forward(p, target);
  const analytic = loss.backward().clone();
  return compareWithNumeric('prediction', analytic, p, () => loss.forward(p, target), options);
}

/** One line for a failure message: which gradient, how wrong, where. */
export function describeComparison(comparison: GradientComparison): string {
  return `gradient of '${comparison.name}' has relative error ${comparison.maxRelativeError.toExponential(2)} at index [${comparison.worstIndex.join(', ')}]: backward gave ${comparison.analytic}, centred differences give ${comparison.numeric}`;
}
