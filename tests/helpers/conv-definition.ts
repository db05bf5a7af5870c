import type { TensorData } from '../harness/data.js';
import { closeEnough } from '../harness/verify.js';

/**
 * The definitions of Exercise 2's convolution and max pooling on plain data (what `run` returned), for
 * the checks' `verify`: pure functions of arrays, no tensors, no student code. Plain loops, float64,
 * written from the handout's formulas (docs/exercises/2-convolutional.md), not from the solutions.
 */

export type Padding = 'same' | 'valid';

/** Output size and zeros padded before, per axis (DESIGN §3): 'same' pads ⌊(k−1)/2⌋ before and keeps ⌈n/s⌉; 'valid' keeps ⌊(n − k)/s⌋ + 1. */
export function axisGeometry(
  n: number,
  k: number,
  s: number,
  padding: Padding,
): { outSize: number; padBefore: number } {
  return padding === 'same'
    ? { outSize: Math.ceil(n / s), padBefore: Math.floor((k - 1) / 2) }
    : { outSize: Math.floor((n - k) / s) + 1, padBefore: 0 };
}

/** The geometry of a 2-D convolution over [height, width]. */
export interface Geometry2d {
  readonly size: readonly [number, number];
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padBefore: readonly [number, number];
  readonly outShape: readonly [number, number];
}

export function geometry2d(
  size: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: Padding,
): Geometry2d {
  const rows = axisGeometry(size[0], kernel[0], stride[0], padding);
  const columns = axisGeometry(size[1], kernel[1], stride[1], padding);
  return {
    size,
    kernel,
    stride,
    padBefore: [rows.padBefore, columns.padBefore],
    outShape: [rows.outSize, columns.outSize],
  };
}

export interface ConvDefinition {
  /** [B, O, OH, OW]. */
  readonly y: TensorData;
  /** ∂L/∂x [B, C, H, W] for the upstream gradient given (zeros without one). */
  readonly dx: TensorData;
  /** ∂L/∂w [O, C, KH, KW], summed over the batch and every output position. */
  readonly dw: TensorData;
  /** ∂L/∂bias [O]. */
  readonly db: TensorData;
}

/**
 * y[b, o, i, j] = bias[o] + Σ_c Σ_m Σ_n x[b, c, i·sh + m − pt, j·sw + n − pl] · w[o, c, m, n] (zero outside x),
 * cross-correlation as in the handout, and the three gradients of Σ dy ⊙ y. `x` is [B, C, H, W] data and
 * `w` [O, C, KH, KW] data (a 1-D case passes H = KH = 1). `flip` reads the kernel rotated by 180°
 * (a true convolution): only to recognise that mistake in a failure message.
 */
export function convDefinition(
  x: TensorData,
  w: TensorData,
  bias: readonly number[],
  g: Geometry2d,
  dy?: TensorData,
  flip = false,
): ConvDefinition {
  const [batch, channels, height, width] = x.shape;
  const [filters, , kh, kw] = w.shape;
  const [oh, ow] = g.outShape;
  const y = new Array<number>(batch * filters * oh * ow).fill(0);
  const dx = new Array<number>(x.data.length).fill(0);
  const dw = new Array<number>(w.data.length).fill(0);
  const db = new Array<number>(filters).fill(0);
  for (let b = 0; b < batch; b++)
    for (let o = 0; o < filters; o++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          const out = ((b * filters + o) * oh + i) * ow + j;
          const upstream = dy ? dy.data[out] : 0;
          let total = bias[o];
          db[o] += upstream;
          for (let c = 0; c < channels; c++)
            for (let m = 0; m < kh; m++)
              for (let n = 0; n < kw; n++) {
                const r = i * g.stride[0] + m - g.padBefore[0];
                const s = j * g.stride[1] + n - g.padBefore[1];
                if (r < 0 || r >= height || s < 0 || s >= width) continue;
                const xi = ((b * channels + c) * height + r) * width + s;
                const wi = flip
                  ? ((o * channels + c) * kh + (kh - 1 - m)) * kw + (kw - 1 - n)
                  : ((o * channels + c) * kh + m) * kw + n;
                total += x.data[xi] * w.data[wi];
                dx[xi] += w.data[wi] * upstream;
                dw[wi] += x.data[xi] * upstream;
              }
          y[out] = total;
        }
  return {
    y: { shape: [batch, filters, oh, ow], data: y },
    dx: { shape: [...x.shape], data: dx },
    dw: { shape: [...w.shape], data: dw },
    db: { shape: [filters], data: db },
  };
}

export type TieRule = 'first' | 'last' | 'all';

export interface MaxPoolDefinition {
  readonly y: TensorData;
  readonly dx: TensorData;
}

/**
 * y[b, c, i, j] = max over the window at (i·sh, j·sw), 'valid' (⌊(n − p)/s⌋ + 1 positions), and the
 * gradient of Σ dy ⊙ y: each window sends its dy to the FIRST maximum in row-major order (the kit's
 * tie rule), and windows that share that position add up there. `ties` 'last' or 'all' (the gradient
 * to the last tied maximum, or to each of them) only recognise those mistakes in a failure message.
 */
export function maxPoolDefinition(
  x: TensorData,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  dy?: TensorData,
  ties: TieRule = 'first',
): MaxPoolDefinition {
  const [batch, channels, height, width] = x.shape;
  const oh = Math.floor((height - kernel[0]) / stride[0]) + 1;
  const ow = Math.floor((width - kernel[1]) / stride[1]) + 1;
  const y = new Array<number>(batch * channels * oh * ow).fill(0);
  const dx = new Array<number>(x.data.length).fill(0);
  for (let p = 0; p < batch * channels; p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        let best = -1;
        for (let m = 0; m < kernel[0]; m++)
          for (let n = 0; n < kernel[1]; n++) {
            const at = (p * height + i * stride[0] + m) * width + j * stride[1] + n;
            if (best < 0 || x.data[at] > x.data[best] || (ties === 'last' && x.data[at] === x.data[best])) best = at;
          }
        const out = (p * oh + i) * ow + j;
        y[out] = x.data[best];
        if (!dy) continue;
        if (ties !== 'all') dx[best] += dy.data[out];
        else
          for (let m = 0; m < kernel[0]; m++)
            for (let n = 0; n < kernel[1]; n++) {
              const at = (p * height + i * stride[0] + m) * width + j * stride[1] + n;
              if (x.data[at] === x.data[best]) dx[at] += dy.data[out];
            }
      }
  return { y: { shape: [batch, channels, oh, ow], data: y }, dx: { shape: [...x.shape], data: dx } };
}

/** X_col[(c·KH + m)·KW + n, (b·OH + i)·OW + j] = x[b, c, i·sh + m − pt, j·sw + n − pl], 0 in the padding. */
export function im2colDefinition(x: TensorData, g: Geometry2d): TensorData {
  const [batch, channels, height, width] = x.shape;
  const [kh, kw] = g.kernel;
  const [oh, ow] = g.outShape;
  const columns = batch * oh * ow;
  const out = new Array<number>(channels * kh * kw * columns).fill(0);
  forEachTap(batch, channels, height, width, g, (row, column, xi) => {
    out[row * columns + column] = x.data[xi];
  });
  return { shape: [channels * kh * kw, columns], data: out };
}

/** The adjoint of im2col: every entry of `cols` added to the input position im2col read it from. */
export function col2imDefinition(cols: TensorData, inShape: readonly number[], g: Geometry2d): TensorData {
  const [batch, channels, height, width] = inShape;
  const columns = batch * g.outShape[0] * g.outShape[1];
  const out = new Array<number>(batch * channels * height * width).fill(0);
  forEachTap(batch, channels, height, width, g, (row, column, xi) => {
    out[xi] += cols.data[row * columns + column];
  });
  return { shape: [...inShape], data: out };
}

function forEachTap(
  batch: number,
  channels: number,
  height: number,
  width: number,
  g: Geometry2d,
  visit: (row: number, column: number, xi: number) => void,
): void {
  const [kh, kw] = g.kernel;
  const [oh, ow] = g.outShape;
  for (let c = 0; c < channels; c++)
    for (let m = 0; m < kh; m++)
      for (let n = 0; n < kw; n++)
        for (let b = 0; b < batch; b++)
          for (let i = 0; i < oh; i++)
            for (let j = 0; j < ow; j++) {
              const r = i * g.stride[0] + m - g.padBefore[0];
              const s = j * g.stride[1] + n - g.padBefore[1];
              if (r < 0 || r >= height || s < 0 || s >= width) continue;
              visit((c * kh + m) * kw + n, (b * oh + i) * ow + j, ((b * channels + c) * height + r) * width + s);
            }
}

/** `received` equals `expected` up to `tolerance` everywhere (same shape): for telling mistakes apart in a message. */
export function sameData(received: TensorData, expected: TensorData, tolerance: number): boolean {
  return (
    received.shape.length === expected.shape.length &&
    received.shape.every((d, i) => d === expected.shape[i]) &&
    expected.data.every((v, i) => closeEnough(received.data[i], v, tolerance))
  );
}

/** `t` with another shape (same row-major data): a 1-D case's [B, C, L] as [B, C, 1, L] and back. */
export function reshaped(t: TensorData, shape: readonly number[]): TensorData {
  return { shape: [...shape], data: t.data };
}

/** Elementwise a·t. */
export function scaled(t: TensorData, factor: number): TensorData {
  return { shape: t.shape, data: t.data.map((v) => v * factor) };
}

type Nested = number | readonly Nested[];

/** A nested array literal of any depth ([[[[1, 2], [3, 4]]]]) as TensorData, for 4-D expected values. */
export function nd(nested: readonly Nested[]): TensorData {
  const shape: number[] = [];
  let level: Nested = nested;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = (level as readonly Nested[])[0];
  }
  return { shape, data: (nested as unknown[]).flat(Infinity) as number[] };
}
