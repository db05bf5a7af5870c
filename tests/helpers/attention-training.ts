import { div, exp, max, runKernel, sub, sum, Tensor, type Rng } from '../../framework/index.js';
import { gpuDispatchCount } from '../../framework/webgpu/index.js';
import { attentionScoresOf } from './attention-reference.js';
import { softmaxOf } from './cpu-reference.js';

/**
 * The training check of the attention-scores kernel (Exercise 6) without any student layer: one causal
 * attention head written here, trained by full-batch gradient descent to attend to the previous
 * token. On 'webgpu' the scores come from the student's kernel (`runKernel('attentionScores')`) and
 * the weights from `softmaxOnGpu` below (framework ops, a double of Exercise 5's softmax kernel); on
 * 'cpu' the same loop runs on the float64 oracle: the twin the GPU run must follow. The projections,
 * the loss and the backward pass are plain loops on the CPU in both runs.
 *
 * The task: sequences of T random tokens (vocabulary V); position t must output the token at t − 1.
 * Input x_t = [one-hot token, one-hot position] (F = V + T features), Q = x·Wq, K = x·Wk [T, d], the
 * values are the one-hot tokens, so the output o_t = Σ_j P[t, j]·onehot(token_j) is a distribution
 * over tokens and the loss is −mean log o_t[token_{t−1}] over t ≥ 1. Without training the head
 * spreads its attention over the whole prefix; only Wq·Wkᵀ that pairs position t with t − 1 (learnt
 * from the gradients through the weights) reaches the accuracy the check asks for.
 */
export interface PreviousTokenTask {
  readonly sequences: number;
  readonly time: number;
  readonly vocabulary: number;
  /** Token ids [sequences · time], row-major. */
  readonly tokens: number[];
}

export interface HeadWeights {
  /** [F, d] row-major, F = vocabulary + time. */
  readonly wq: number[];
  readonly wk: number[];
  readonly depth: number;
}

export interface HeadRun {
  /** The loss before each step. */
  readonly losses: number[];
  readonly weights: HeadWeights;
  /** The trained head's attention weights [sequences, time, time] on the training sequences (verify computes the accuracy from them). */
  readonly attention: { shape: number[]; data: number[] };
  /** The same on the held-out sequences of `options.evaluate`. */
  readonly heldOut: { shape: number[]; data: number[] };
  /** Dispatches of the student's kernel during the run (0 on the CPU). */
  readonly dispatches: number;
}

export function previousTokenTask(rng: Rng, sequences: number, time: number, vocabulary: number): PreviousTokenTask {
  return { sequences, time, vocabulary, tokens: Array.from({ length: sequences * time }, () => rng.int(vocabulary)) };
}

/** Wq and Wk in ±1/√F, rounded to float32 so that both devices start alike. */
export function initialHead(rng: Rng, task: PreviousTokenTask, depth: number): HeadWeights {
  const features = task.vocabulary + task.time;
  const bound = 1 / Math.sqrt(features);
  const draw = () => Array.from(rng.uniformTensor([features, depth], -bound, bound).data, (v) => Math.fround(v));
  return { wq: draw(), wk: draw(), depth };
}

/** Softmax over the last axis of a WebGPU tensor with the framework's kernels: max-shifted, as Exercise 5's. */
export function softmaxOnGpu(s: Tensor): Tensor {
  const axis = s.rank - 1;
  const e = exp(sub(s, max(s, axis, true)));
  return div(e, sum(e, axis, true));
}

/** The one-hot features x [sequences, time, F]. */
function features(task: PreviousTokenTask): Float64Array {
  const { sequences, time, vocabulary } = task;
  const width = vocabulary + time;
  const x = new Float64Array(sequences * time * width);
  for (let n = 0; n < sequences; n++) {
    for (let t = 0; t < time; t++) {
      const row = (n * time + t) * width;
      x[row + task.tokens[n * time + t]] = 1;
      x[row + vocabulary + t] = 1;
    }
  }
  return x;
}

/** rows [R, F] · w [F, d] → [R, d]. */
function project(x: Float64Array, w: readonly number[], rows: number, width: number, depth: number): Float64Array {
  const out = new Float64Array(rows * depth);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < width; f++) {
      const value = x[r * width + f];
      if (value !== 0) for (let c = 0; c < depth; c++) out[r * depth + c] += value * w[f * depth + c];
    }
  }
  return out;
}

/** Which outputs count: every position after the first (the first has no previous token). */
export function previousTokenLabels(task: PreviousTokenTask): Array<{ n: number; t: number; label: number }> {
  const labels = [];
  for (let n = 0; n < task.sequences; n++)
    for (let t = 1; t < task.time; t++) labels.push({ n, t, label: task.tokens[n * task.time + t - 1] });
  return labels;
}

/** o_t[token]: the attention row t spends on positions holding `token`. */
export function attentionOnToken(
  attention: { data: ArrayLike<number> },
  task: PreviousTokenTask,
  n: number,
  t: number,
  token: number,
): number {
  const { time } = task;
  let total = 0;
  for (let j = 0; j < time; j++)
    if (task.tokens[n * time + j] === token) total += attention.data[(n * time + t) * time + j];
  return total;
}

/** Pure: the share of positions t ≥ 1 whose output's most likely token is the previous token. */
export function previousTokenAccuracy(attention: { data: ArrayLike<number> }, task: PreviousTokenTask): number {
  const labels = previousTokenLabels(task);
  let correct = 0;
  for (const { n, t, label } of labels) {
    let best = 0;
    let bestShare = -1;
    for (let token = 0; token < task.vocabulary; token++) {
      const share = attentionOnToken(attention, task, n, t, token);
      if (share > bestShare) [best, bestShare] = [token, share];
    }
    if (best === label) correct++;
  }
  return correct / labels.length;
}

async function attentionWeights(
  device: 'webgpu' | 'cpu',
  q: Float64Array,
  k: Float64Array,
  shape: number[],
): Promise<number[]> {
  if (device === 'cpu') return softmaxOf(attentionScoresOf({ shape, data: q }, { shape, data: k }, true)).data;
  const [gq, gk] = [await new Tensor(shape, q).to('webgpu'), await new Tensor(shape, k).to('webgpu')];
  const p = await softmaxOnGpu(runKernel('attentionScores', [gq, gk], { causal: true })).to('cpu');
  return Array.from(p.data);
}

/** Full-batch gradient descent on the previous-token task; the scores on `device`, everything else on the CPU. */
export async function trainPreviousTokenHead(
  device: 'webgpu' | 'cpu',
  task: PreviousTokenTask,
  initial: HeadWeights,
  options: { steps: number; learningRate: number; evaluate: PreviousTokenTask },
): Promise<HeadRun> {
  const { sequences, time, vocabulary } = task;
  const { depth } = initial;
  const width = vocabulary + time;
  const rows = sequences * time;
  const x = features(task);
  const labels = previousTokenLabels(task);
  const scale = 1 / Math.sqrt(depth);
  const wq = [...initial.wq];
  const wk = [...initial.wk];
  const before = gpuDispatchCount('attentionScores');
  const losses: number[] = [];
  let p: number[] = [];
  for (let step = 0; step <= options.steps; step++) {
    const q = project(x, wq, rows, width, depth);
    const k = project(x, wk, rows, width, depth);
    p = await attentionWeights(device, q, k, [sequences, time, depth]);
    if (step === options.steps) break;
    // Loss and ∂L/∂P: only the weights on positions holding the label have a gradient.
    const dP = new Float64Array(sequences * time * time);
    let loss = 0;
    for (const { n, t, label } of labels) {
      const share = attentionOnToken({ data: p }, task, n, t, label);
      loss -= Math.log(Math.max(share, 1e-30)) / labels.length;
      for (let j = 0; j < time; j++)
        if (task.tokens[n * time + j] === label)
          dP[(n * time + t) * time + j] = -1 / (labels.length * Math.max(share, 1e-30));
    }
    losses.push(loss);
    // Softmax backward (masked weights are 0, so they pass nothing), then dQ = dS·K/√d, dK = dSᵀ·Q/√d.
    const dQ = new Float64Array(rows * depth);
    const dK = new Float64Array(rows * depth);
    for (let n = 0; n < sequences; n++) {
      for (let t = 0; t < time; t++) {
        const row = (n * time + t) * time;
        let dot = 0;
        for (let j = 0; j < time; j++) dot += p[row + j] * dP[row + j];
        for (let j = 0; j < time; j++) {
          const dS = p[row + j] * (dP[row + j] - dot) * scale;
          if (dS === 0) continue;
          for (let c = 0; c < depth; c++) {
            dQ[(n * time + t) * depth + c] += dS * k[(n * time + j) * depth + c];
            dK[(n * time + j) * depth + c] += dS * q[(n * time + t) * depth + c];
          }
        }
      }
    }
    // dW = xᵀ·dQ (x is one-hot: two features per row).
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < width; f++) {
        if (x[r * width + f] === 0) continue;
        for (let c = 0; c < depth; c++) {
          wq[f * depth + c] -= options.learningRate * dQ[r * depth + c];
          wk[f * depth + c] -= options.learningRate * dK[r * depth + c];
        }
      }
    }
  }
  const held = options.evaluate;
  const heldX = features(held);
  const heldRows = held.sequences * held.time;
  const heldShape = [held.sequences, held.time, depth];
  const heldP = await attentionWeights(
    device,
    project(heldX, wq, heldRows, width, depth),
    project(heldX, wk, heldRows, width, depth),
    heldShape,
  );
  return {
    losses,
    weights: { wq, wk, depth },
    attention: { shape: [sequences, time, time], data: p },
    heldOut: { shape: [held.sequences, held.time, held.time], data: heldP },
    dispatches: gpuDispatchCount('attentionScores') - before,
  };
}
