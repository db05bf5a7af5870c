import type { TensorData } from '../harness/index.js';

/**
 * BatchNorm written out with loops (verify side): the checks of BatchNorm and of the whole Exercise 3
 * network recompute what the layer must have done from the inputs their run returned.
 * Layout [batch, C, …spatial]; element (b, c, s) sits at (b·C + c)·spatial + s.
 */

export interface Values {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** Per-channel mean and biased variance of [batch, C, …]. */
export function channelStatistics(y: Values): { mean: number[]; variance: number[] } {
  const [batch, channels] = y.shape;
  const spatial = y.data.length / (batch * channels);
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < channels; c++) {
    const values: number[] = [];
    for (let b = 0; b < batch; b++)
      for (let s = 0; s < spatial; s++) values.push(y.data[(b * channels + c) * spatial + s]);
    const m = values.reduce((a, v) => a + v, 0) / values.length;
    mean.push(m);
    variance.push(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
  }
  return { mean, variance };
}

/** The layer's state as plain numbers. */
export interface State {
  readonly gamma: number[];
  readonly beta: number[];
  readonly runningMean: number[];
  readonly runningVar: number[];
}

/** BatchNorm written out with loops, for one forward (and backward when `g` is given). */
export function batchNormDefinition(
  x: TensorData,
  state: State,
  setting: { training: boolean; momentum: number; eps: number },
  g?: TensorData,
) {
  const [batch, channels] = x.shape;
  const spatial = x.data.length / (batch * channels);
  const m = batch * spatial;
  const y = new Array<number>(x.data.length).fill(0);
  const dx = new Array<number>(x.data.length).fill(0);
  const dgamma = new Array<number>(channels).fill(0);
  const dbeta = new Array<number>(channels).fill(0);
  const runningMean = [...state.runningMean];
  const runningVar = [...state.runningVar];
  const at = (b: number, c: number, s: number): number => (b * channels + c) * spatial + s;
  for (let c = 0; c < channels; c++) {
    let mean = state.runningMean[c];
    let variance = state.runningVar[c];
    if (setting.training) {
      mean = 0;
      for (let b = 0; b < batch; b++) for (let s = 0; s < spatial; s++) mean += x.data[at(b, c, s)] / m;
      variance = 0;
      for (let b = 0; b < batch; b++)
        for (let s = 0; s < spatial; s++) variance += (x.data[at(b, c, s)] - mean) ** 2 / m;
      runningMean[c] = (1 - setting.momentum) * runningMean[c] + setting.momentum * mean;
      runningVar[c] = (1 - setting.momentum) * runningVar[c] + setting.momentum * variance * (m / (m - 1));
    }
    const inverseStd = 1 / Math.sqrt(variance + setting.eps);
    const normalized: number[] = [];
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < spatial; s++) {
        const i = at(b, c, s);
        normalized[i] = (x.data[i] - mean) * inverseStd;
        y[i] = state.gamma[c] * normalized[i] + state.beta[c];
        if (g) {
          dbeta[c] += g.data[i];
          dgamma[c] += g.data[i] * normalized[i];
        }
      }
    }
    if (!g) continue;
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < spatial; s++) {
        const i = at(b, c, s);
        const k = state.gamma[c] * inverseStd;
        dx[i] = setting.training ? k * (g.data[i] - dbeta[c] / m - normalized[i] * (dgamma[c] / m)) : k * g.data[i];
      }
    }
  }
  const shaped = (data: number[]): TensorData => ({ shape: x.shape, data });
  return { y: shaped(y), dx: shaped(dx), dgamma, dbeta, runningMean, runningVar };
}
