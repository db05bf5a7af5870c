import type { PlainResult, PlainTensor } from './cpu-reference.js';

/**
 * The CPU oracle of the attention-scores kernel (Exercise 6), plain loops in float64 on plain data,
 * so a check's `verify` can recompute the definition from the inputs that came back with the GPU's
 * output:
 *   S[b, i, j] = Σ_c Q[b, i, c] · K[b, j, c] / √d      (seed 004: 7785, qkᵀ/√d_k)
 *   S[b, i, j] = −∞ where j > i, when causal             (seed 004: 7810)
 * Q [B, TQ, d], K [B, TK, d] → S [B, TQ, TK].
 */
export function attentionScoresOf(
  q: PlainTensor,
  k: PlainTensor,
  causal: boolean,
  scale = 1 / Math.sqrt(q.shape[2]),
): PlainResult {
  const [batch, queries, depth] = q.shape;
  const keys = k.shape[1];
  const s = new Array<number>(batch * queries * keys);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < queries; i++) {
      for (let j = 0; j < keys; j++) {
        let dot = 0;
        for (let c = 0; c < depth; c++)
          dot += q.data[(b * queries + i) * depth + c] * k.data[(b * keys + j) * depth + c];
        s[(b * queries + i) * keys + j] = causal && j > i ? -Infinity : dot * scale;
      }
    }
  }
  return { shape: [batch, queries, keys], data: s };
}

/**
 * How far below its row's largest visible score a masked score must lie for a float32 softmax to
 * give it exactly 0: exp(−104) is below the smallest float32 (≈ 1.4·10⁻⁴⁵). −∞, −1e9 and the lowest
 * float32 all qualify; 0 or −100 do not.
 */
export const MASK_MARGIN = 104;

/** Whether `score` counts as masked in a row whose largest visible (unmasked) score is `rowMax`. */
export function isMasked(score: number, rowMax: number): boolean {
  return score === -Infinity || (Number.isFinite(score) && score <= rowMax - MASK_MARGIN);
}

/** The largest visible score of row (b, i) of a causal S: the entries j ≤ i of the definition. */
export function visibleRowMax(expected: PlainTensor, b: number, i: number): number {
  const [, queries, keys] = expected.shape;
  let largest = -Infinity;
  for (let j = 0; j < keys; j++) largest = Math.max(largest, expected.data[(b * queries + i) * keys + j]);
  return largest;
}
