import { ShapeError } from '../../framework/errors.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape, formatShape } from '../../framework/tensor/shape.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/** The three gradients `ScaledDotProductAttention.backward` returns, each the shape of its input. */
export interface AttentionGradients {
  readonly query: Tensor;
  readonly key: Tensor;
  readonly value: Tensor;
}

/**
 * Scaled dot-product attention (seed 004: 7785, "attention(q, k, v) = softmax(q·kᵀ/√d_k)·v"; the scaled
 * score 7684–7686): for every sequence of the batch
 *
 *   S = Q·Kᵀ/√d + M,   A = softmax(S) over the keys (the last axis),   Y = A·V
 *
 * Shapes: Q [batch, Tq, d], K [batch, Tk, d], V [batch, Tk, dv] → Y [batch, Tq, dv]; A [batch, Tq, Tk].
 * d is the feature size of the queries and keys. M is 0 everywhere, except with `causal`, where key j is
 * hidden from query i when j > i (the decoder's "self-attention only computed on previous outputs",
 * 004: 7810): M_ij = −∞. The mask is added **before** a max-shifted softmax, so a masked key gets weight
 * exactly 0 and, through it, gradient exactly 0; key 0 is never masked, so every row keeps a finite maximum.
 *
 * It has three inputs, so it is not a `Layer`: `forward(q, k, v)` returns Y and `backward(∂L/∂Y)` returns
 * `{ query, key, value }`. With G = ∂L/∂Y and s = 1/√d:
 *   ∂L/∂V = Aᵀ·G,   ∂L/∂A = G·Vᵀ,   ∂L/∂S_ij = A_ij·(∂L/∂A_ij − Σ_j′ A_ij′·∂L/∂A_ij′)  (the softmax Jacobian),
 *   ∂L/∂Q = s·∂L/∂S·K,   ∂L/∂K = s·(∂L/∂S)ᵀ·Q.
 *
 * `weights` is A of the last forward, for tests and for looking at what attends to what.
 *
 * Handout: docs/exercises/6-modern.md#scaleddotproductattention
 */
export class ScaledDotProductAttention {
  readonly name = 'ScaledDotProductAttention';
  /** Hide the keys after each query's own position (j > i); needs Tq = Tk. */
  readonly causal: boolean;
  #query?: Tensor;
  #key?: Tensor;
  #value?: Tensor;
  #weights?: Tensor;

  constructor(options: { causal?: boolean } = {}) {
    this.causal = options.causal ?? false;
  }

  /** A = softmax(Q·Kᵀ/√d + M) of the last forward, [batch, Tq, Tk]. */
  get weights(): Tensor {
    return cached(this.#weights, 'ScaledDotProductAttention.weights');
  }

  forward(query: Tensor, key: Tensor, value: Tensor): Tensor {
    const where = 'ScaledDotProductAttention.forward';
    expectShape(query.shape, ['batch', 'time', 'features'], where, 'query');
    const [batch, queries, features] = query.shape;
    expectShape(key.shape, [batch, 'time', features], where, 'key');
    const keys = key.shape[1];
    expectShape(value.shape, [batch, keys, 'features'], where, 'value');
    if (this.causal && queries !== keys) {
      throw new ShapeError(
        `${where}: a causal mask needs as many queries as keys, got query ${formatShape(query.shape)} and key ${formatShape(key.shape)}`,
      );
    }
    expectFinite(query, where, 'query');
    expectFinite(key, where, 'key');
    expectFinite(value, where, 'value');
    const valueFeatures = value.shape[2];
    const q = query.data;
    const k = key.data;
    const v = value.data;
    const a = allocate(query.dtype, batch * queries * keys);
    const y = allocate(query.dtype, batch * queries * valueFeatures);
    // Fill a with the weights A (row-major [batch, Tq, Tk]) and y with Y = A·V ([batch, Tq, dv]).
    // BEGIN SOLUTION
    const scale = 1 / Math.sqrt(features);
    const scores = new Float64Array(keys);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < queries; i++) {
        const row = (b * queries + i) * keys;
        let largest = -Infinity;
        for (let j = 0; j < keys; j++) {
          let dot = 0;
          for (let c = 0; c < features; c++)
            dot += q[(b * queries + i) * features + c] * k[(b * keys + j) * features + c];
          // −∞, not a large negative number: exp(−∞ − max) is exactly 0 whatever the other scores are.
          scores[j] = this.causal && j > i ? -Infinity : dot * scale;
          if (scores[j] > largest) largest = scores[j];
        }
        let total = 0;
        for (let j = 0; j < keys; j++) {
          scores[j] = Math.exp(scores[j] - largest);
          total += scores[j];
        }
        for (let j = 0; j < keys; j++) a[row + j] = scores[j] / total;
        for (let c = 0; c < valueFeatures; c++) {
          let sum = 0;
          for (let j = 0; j < keys; j++) sum += a[row + j] * v[(b * keys + j) * valueFeatures + c];
          y[(b * queries + i) * valueFeatures + c] = sum;
        }
      }
    }
    // END SOLUTION
    this.#query = query;
    this.#key = key;
    this.#value = value;
    this.#weights = new Tensor([batch, queries, keys], a);
    return new Tensor([batch, queries, valueFeatures], y);
  }

  backward(gradOutput: Tensor): AttentionGradients {
    const where = 'ScaledDotProductAttention.backward';
    const query = cached(this.#query, where);
    const key = cached(this.#key, where);
    const value = cached(this.#value, where);
    const weights = cached(this.#weights, where);
    const [batch, queries, features] = query.shape;
    const keys = key.shape[1];
    const valueFeatures = value.shape[2];
    expectShape(gradOutput.shape, [batch, queries, valueFeatures], where, 'gradOutput');
    const q = query.data;
    const k = key.data;
    const v = value.data;
    const a = weights.data;
    const g = gradOutput.data;
    const dq = allocate(gradOutput.dtype, query.size);
    const dk = allocate(gradOutput.dtype, key.size);
    const dv = allocate(gradOutput.dtype, value.size);
    // Fill dq, dk and dv (zeros now) with ∂L/∂Q, ∂L/∂K and ∂L/∂V, row-major like q, k and v.
    // BEGIN SOLUTION
    const scale = 1 / Math.sqrt(features);
    const gradWeights = new Float64Array(keys);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < queries; i++) {
        const row = (b * queries + i) * keys;
        let weighted = 0;
        for (let j = 0; j < keys; j++) {
          let dot = 0;
          for (let c = 0; c < valueFeatures; c++) {
            const gic = g[(b * queries + i) * valueFeatures + c];
            dot += gic * v[(b * keys + j) * valueFeatures + c];
            dv[(b * keys + j) * valueFeatures + c] += a[row + j] * gic;
          }
          gradWeights[j] = dot;
          weighted += a[row + j] * dot;
        }
        for (let j = 0; j < keys; j++) {
          // A masked key has A_ij = 0, so its score gradient is exactly 0 and so are its Q and K terms.
          const gradScore = a[row + j] * (gradWeights[j] - weighted) * scale;
          if (gradScore === 0) continue;
          for (let c = 0; c < features; c++) {
            dq[(b * queries + i) * features + c] += gradScore * k[(b * keys + j) * features + c];
            dk[(b * keys + j) * features + c] += gradScore * q[(b * queries + i) * features + c];
          }
        }
      }
    }
    // END SOLUTION
    return { query: new Tensor(query.shape, dq), key: new Tensor(key.shape, dk), value: new Tensor(value.shape, dv) };
  }
}
