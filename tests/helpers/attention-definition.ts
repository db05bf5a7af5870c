import { fail, type TensorData } from '../harness/index.js';
import type { GradientComparison } from '../../framework/index.js';

/**
 * Attention written out with plain loops on plain data, for the `verify` side of the Exercise 6
 * attention checks (docs/exercises/6-modern.md#scaleddotproductattention): what the student's
 * ScaledDotProductAttention, MultiHeadSelfAttention and PositionalEncoding are compared against.
 * Deliberately unlike the reference: a masked key is skipped (never enters the sum), and the
 * gradients are derived element by element.
 */

/** How the scores are scaled: 'sqrt' = 1/√d (the kit), 'd' = 1/d and 'none' = 1 (the two classic mistakes). */
export type Scaling = 'sqrt' | 'd' | 'none';

export interface AttentionResult {
  /** A [batch, Tq, Tk]. */
  readonly weights: TensorData;
  /** Y = A·V [batch, Tq, dv]. */
  readonly y: TensorData;
  /** With an upstream gradient G: ∂L/∂Q, ∂L/∂K, ∂L/∂V of L = Σ G ⊙ Y. */
  readonly dq?: TensorData;
  readonly dk?: TensorData;
  readonly dv?: TensorData;
}

/** softmax(Q·Kᵀ·s) over the keys j ≤ i (causal) or all keys, then ·V; and, given G, the three gradients. */
export function attentionDefinition(
  q: TensorData,
  k: TensorData,
  v: TensorData,
  options: { causal: boolean; scaling?: Scaling },
  g?: TensorData,
): AttentionResult {
  const [batch, tq, d] = q.shape;
  const tk = k.shape[1];
  const dv = v.shape[2];
  const s = { sqrt: 1 / Math.sqrt(d), d: 1 / d, none: 1 }[options.scaling ?? 'sqrt'];
  const visible = (i: number, j: number): boolean => !options.causal || j <= i;
  const Q = (b: number, i: number, c: number): number => q.data[(b * tq + i) * d + c];
  const K = (b: number, j: number, c: number): number => k.data[(b * tk + j) * d + c];
  const V = (b: number, j: number, c: number): number => v.data[(b * tk + j) * dv + c];
  const a = new Array<number>(batch * tq * tk).fill(0);
  const y = new Array<number>(batch * tq * dv).fill(0);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < tq; i++) {
      const scores: number[] = [];
      for (let j = 0; j < tk; j++) {
        let dot = 0;
        for (let c = 0; c < d; c++) dot += Q(b, i, c) * K(b, j, c);
        scores.push(dot * s);
      }
      const top = Math.max(...scores.filter((_, j) => visible(i, j)));
      let total = 0;
      for (let j = 0; j < tk; j++) if (visible(i, j)) total += Math.exp(scores[j] - top);
      for (let j = 0; j < tk; j++) a[(b * tq + i) * tk + j] = visible(i, j) ? Math.exp(scores[j] - top) / total : 0;
      for (let c = 0; c < dv; c++) {
        for (let j = 0; j < tk; j++) y[(b * tq + i) * dv + c] += a[(b * tq + i) * tk + j] * V(b, j, c);
      }
    }
  }
  const weights = { shape: [batch, tq, tk], data: a };
  const out = { shape: [batch, tq, dv], data: y };
  if (!g) return { weights, y: out };
  const G = (b: number, i: number, c: number): number => g.data[(b * tq + i) * dv + c];
  const A = (b: number, i: number, j: number): number => a[(b * tq + i) * tk + j];
  const dq = new Array<number>(q.data.length).fill(0);
  const dk = new Array<number>(k.data.length).fill(0);
  const dvv = new Array<number>(v.data.length).fill(0);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < tq; i++) {
      // ∂L/∂A_ij = Σ_c G_ic V_jc; ∂L/∂S_ij = A_ij (∂L/∂A_ij − Σ_l A_il ∂L/∂A_il).
      const gradA: number[] = [];
      for (let j = 0; j < tk; j++) {
        let total = 0;
        for (let c = 0; c < dv; c++) total += G(b, i, c) * V(b, j, c);
        gradA.push(total);
      }
      let mean = 0;
      for (let j = 0; j < tk; j++) mean += A(b, i, j) * gradA[j];
      for (let j = 0; j < tk; j++) {
        if (!visible(i, j)) continue;
        const gradS = A(b, i, j) * (gradA[j] - mean) * s;
        for (let c = 0; c < d; c++) {
          dq[(b * tq + i) * d + c] += gradS * K(b, j, c);
          dk[(b * tk + j) * d + c] += gradS * Q(b, i, c);
        }
        for (let c = 0; c < dv; c++) dvv[(b * tk + j) * dv + c] += A(b, i, j) * G(b, i, c);
      }
    }
  }
  return {
    weights,
    y: out,
    dq: { shape: q.shape, data: dq },
    dk: { shape: k.shape, data: dk },
    dv: { shape: v.shape, data: dvv },
  };
}

/** The eight parameters of MultiHeadSelfAttention, by name. */
export const MHSA_PARAMETERS = ['Wq', 'Wk', 'Wv', 'Wo', 'bq', 'bk', 'bv', 'bo'] as const;
export type MhsaParameterName = (typeof MHSA_PARAMETERS)[number];
export type MhsaParameters = Record<MhsaParameterName, TensorData>;

export interface MhsaResult {
  readonly y: TensorData;
  /** Per head weights [batch, heads, T, T]. */
  readonly weights: TensorData;
  readonly dx?: TensorData;
  readonly grads?: MhsaParameters;
}

/** rows [n, in] · W [in, out] + b. */
function affine(rows: readonly number[], n: number, w: TensorData, b: TensorData): number[] {
  const [inputs, outputs] = w.shape;
  const out = new Array<number>(n * outputs).fill(0);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < outputs; o++) {
      let total = b.data[o];
      for (let i = 0; i < inputs; i++) total += rows[r * inputs + i] * w.data[i * outputs + o];
      out[r * outputs + o] = total;
    }
  }
  return out;
}

/** Backward of rows·W + b for upstream E [n, out]: dW = rowsᵀ·E, db = Σ E, d rows = E·Wᵀ. */
function affineBackward(rows: readonly number[], n: number, w: TensorData, e: readonly number[]) {
  const [inputs, outputs] = w.shape;
  const dw = new Array<number>(inputs * outputs).fill(0);
  const db = new Array<number>(outputs).fill(0);
  const dRows = new Array<number>(n * inputs).fill(0);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < outputs; o++) {
      const g = e[r * outputs + o];
      db[o] += g;
      for (let i = 0; i < inputs; i++) {
        dw[i * outputs + o] += rows[r * inputs + i] * g;
        dRows[r * inputs + i] += w.data[i * outputs + o] * g;
      }
    }
  }
  return { dw: { shape: [inputs, outputs], data: dw }, db: { shape: [outputs], data: db }, dRows };
}

/** Columns `columns` of rows [n, width] as [batch, T, columns.length]. */
function pickColumns(
  rows: readonly number[],
  batch: number,
  time: number,
  width: number,
  columns: readonly number[],
): TensorData {
  const data: number[] = [];
  for (let r = 0; r < batch * time; r++) for (const c of columns) data.push(rows[r * width + c]);
  return { shape: [batch, time, columns.length], data };
}

/** Which feature columns head h owns: contiguous blocks (the kit), or interleaved (h, h + H, …: a mistake the tests name). */
export function headColumns(
  h: number,
  heads: number,
  dModel: number,
  split: 'contiguous' | 'interleaved' = 'contiguous',
): number[] {
  const dk = dModel / heads;
  return Array.from({ length: dk }, (_, c) => (split === 'contiguous' ? h * dk + c : c * heads + h));
}

/**
 * Multi-head self-attention by its definition (docs/exercises/6-modern.md#multiheadselfattention):
 * Q = x·Wq + bq (likewise K, V), head h = attention on columns h·dk … (h+1)·dk − 1, concatenated in the
 * same columns, y = O·Wo + bo; with G the gradients of L = Σ G ⊙ y for x and all eight parameters.
 */
export function mhsaDefinition(
  x: TensorData,
  p: MhsaParameters,
  heads: number,
  causal: boolean,
  g?: TensorData,
  split: 'contiguous' | 'interleaved' = 'contiguous',
): MhsaResult {
  const [batch, time, dModel] = x.shape;
  const n = batch * time;
  const q = affine(x.data, n, p.Wq, p.bq);
  const k = affine(x.data, n, p.Wk, p.bk);
  const v = affine(x.data, n, p.Wv, p.bv);
  const o = new Array<number>(n * dModel).fill(0);
  const weights = new Array<number>(batch * heads * time * time).fill(0);
  const perHead = Array.from({ length: heads }, (_, h) => {
    const columns = headColumns(h, heads, dModel, split);
    const [qh, kh, vh] = [q, k, v].map((m) => pickColumns(m, batch, time, dModel, columns));
    return { columns, qh, kh, vh, result: attentionDefinition(qh, kh, vh, { causal }) };
  });
  perHead.forEach(({ columns, result }, h) => {
    for (let r = 0; r < n; r++)
      columns.forEach((c, ci) => {
        o[r * dModel + c] = result.y.data[r * columns.length + ci];
      });
    for (let b = 0; b < batch; b++) {
      for (let e = 0; e < time * time; e++)
        weights[(b * heads + h) * time * time + e] = result.weights.data[b * time * time + e];
    }
  });
  const y = { shape: [batch, time, dModel], data: affine(o, n, p.Wo, p.bo) };
  const weightData = { shape: [batch, heads, time, time], data: weights };
  if (!g) return { y, weights: weightData };
  const out = affineBackward(o, n, p.Wo, g.data);
  const dq = new Array<number>(n * dModel).fill(0);
  const dk = new Array<number>(n * dModel).fill(0);
  const dv = new Array<number>(n * dModel).fill(0);
  for (const { columns, qh, kh, vh } of perHead) {
    const gh = pickColumns(out.dRows, batch, time, dModel, columns);
    const back = attentionDefinition(qh, kh, vh, { causal }, gh);
    for (let r = 0; r < n; r++) {
      columns.forEach((c, ci) => {
        dq[r * dModel + c] = back.dq!.data[r * columns.length + ci];
        dk[r * dModel + c] = back.dk!.data[r * columns.length + ci];
        dv[r * dModel + c] = back.dv!.data[r * columns.length + ci];
      });
    }
  }
  const [bq, bk, bv] = [
    affineBackward(x.data, n, p.Wq, dq),
    affineBackward(x.data, n, p.Wk, dk),
    affineBackward(x.data, n, p.Wv, dv),
  ];
  const dx = bq.dRows.map((value, i) => value + bk.dRows[i] + bv.dRows[i]);
  return {
    y,
    weights: weightData,
    dx: { shape: x.shape, data: dx },
    grads: { Wq: bq.dw, Wk: bk.dw, Wv: bv.dw, Wo: out.dw, bq: bq.db, bk: bk.db, bv: bv.db, bo: out.db },
  };
}

/** PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(pos / 10000^(2i/d)); `swapped` puts cos first (a mistake). */
export function sinusoid(pos: number, feature: number, d: number, swapped = false): number {
  const pair = Math.floor(feature / 2);
  const angle = pos / 10000 ** ((2 * pair) / d);
  const even = feature % 2 === 0;
  return even !== swapped ? Math.sin(angle) : Math.cos(angle);
}

/** The table PE [time, d] as plain data. */
export function sinusoidTable(time: number, d: number): TensorData {
  const data: number[] = [];
  for (let pos = 0; pos < time; pos++) for (let f = 0; f < d; f++) data.push(sinusoid(pos, f, d));
  return { shape: [time, d], data };
}

/**
 * Each of ∂L/∂Q, ∂L/∂K, ∂L/∂V (from `attentionGradients`) matches centred differences within
 * `threshold` (max relative error), with a hint for the one that does not.
 */
export function expectAttentionGradients(
  report: Record<'query' | 'key' | 'value', GradientComparison>,
  threshold: number,
  what: string,
): void {
  const hints = {
    query: '∂L/∂Q = s·(∂L/∂S)·K with ∂L/∂S the softmax Jacobian applied to ∂L/∂A = G·Vᵀ, and s = 1/√d',
    key: '∂L/∂K = s·(∂L/∂S)ᵀ·Q (the transpose: keys collect from every query)',
    value: '∂L/∂V = Aᵀ·G',
  };
  for (const name of ['query', 'key', 'value'] as const) {
    const c = report[name];
    if (c.maxRelativeError < threshold) continue;
    if (!Number.isFinite(c.maxRelativeError) && c.worstIndex.length === 0)
      fail(
        `${what}: backward(G).${name} is missing or has the wrong shape; it must be a Tensor shaped like the ${name} input`,
      );
    fail(
      `${what}: ScaledDotProductAttention.backward gradient of '${name}' has relative error ${c.maxRelativeError.toExponential(2)} (limit ${threshold}) at index [${c.worstIndex.join(', ')}]: backward gave ${c.analytic}, centred differences give ${c.numeric}. Check ${hints[name]}.`,
    );
  }
}
