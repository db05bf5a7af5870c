import { ValueError } from '../../framework/errors.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { add } from '../../framework/ops/arithmetic.js';
import { concatColumns, sliceColumns } from '../../framework/ops/columns.js';
import { matmul, transpose } from '../../framework/ops/linalg.js';
import { sum } from '../../framework/ops/reductions.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { defaultUniform } from '../../framework/nn/default-initialization.js';
import { defaultRng } from '../../framework/random/default-rng.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import { ScaledDotProductAttention } from './scaled-dot-product-attention.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Rng } from '../../framework/random/rng.js';

/** The options of `new MultiHeadSelfAttention({ dModel, heads, causal?, rng? })`. */
export interface MultiHeadSelfAttentionOptions {
  /** Features per token, in and out. */
  readonly dModel: number;
  /** Number of heads; must divide dModel. */
  readonly heads: number;
  /** Each token attends only to itself and the tokens before it (004: 7810). Default false. */
  readonly causal?: boolean;
  readonly rng?: Rng;
}

/**
 * Multi-head self-attention (seed 004: 7776–7785 queries, keys and values from trainable W_q, W_k, W_v;
 * 7793–7795 "multiple attention vectors per token → representation subspaces" recombined per token):
 *
 *   Q = x·Wq + bq,   K = x·Wk + bk,   V = x·Wv + bv                       (x [batch, T, dModel])
 *   head_h = attention(Q_h, K_h, V_h),   Q_h = Q[:, :, h·dk … (h+1)·dk − 1],   dk = dModel / heads
 *   y = [head_0, …, head_{H−1}]·Wo + bo                                   (y [batch, T, dModel])
 *
 * attention is `ScaledDotProductAttention` (scaled by √dk, the size of one head), causal or not. Every
 * W is [dModel, dModel] in the kit's layout (rows in, columns out, as FullyConnected), every b is
 * [dModel]. Head h owns columns h·dk … (h+1)·dk − 1 of Q, K and V and rows h·dk … of Wo: a split on the
 * feature axis into contiguous blocks, as PyTorch's nn.MultiheadAttention.
 *
 * Backward, with G = ∂L/∂y and O the concatenated heads (rows are the batch·T tokens):
 *   ∇Wo += Oᵀ·G, ∇bo += Σ G, ∂L/∂O = G·Woᵀ; each head's attention backward gives ∂L/∂Q_h, ∂L/∂K_h, ∂L/∂V_h;
 *   ∇Wq += xᵀ·∂L/∂Q, ∇bq += Σ ∂L/∂Q (likewise K and V);   ∂L/∂x = ∂L/∂Q·Wqᵀ + ∂L/∂K·Wkᵀ + ∂L/∂V·Wvᵀ.
 *
 * Handout: docs/exercises/6-modern.md#multiheadselfattention
 */
export class MultiHeadSelfAttention implements Layer {
  readonly name = 'MultiHeadSelfAttention';
  training = true;
  readonly dModel: number;
  readonly heads: number;
  /** Features per head, dModel / heads. */
  readonly headSize: number;
  readonly causal: boolean;
  readonly Wq: Parameter;
  readonly Wk: Parameter;
  readonly Wv: Parameter;
  readonly Wo: Parameter;
  readonly bq: Parameter;
  readonly bk: Parameter;
  readonly bv: Parameter;
  readonly bo: Parameter;
  /** One attention per head (each caches its own inputs and weights). */
  readonly #attention: ScaledDotProductAttention[];
  /** x [batch, T, dModel] and the concatenated head outputs O [batch·T, dModel] of the last forward. */
  #input?: Tensor;
  #heads?: Tensor;

  constructor(options: MultiHeadSelfAttentionOptions) {
    const { dModel, heads } = options;
    if (!Number.isInteger(dModel) || dModel < 1)
      throw new ValueError(`MultiHeadSelfAttention expects dModel ≥ 1, got ${dModel}`);
    if (!Number.isInteger(heads) || heads < 1 || dModel % heads !== 0) {
      throw new ValueError(
        `MultiHeadSelfAttention expects a number of heads that divides dModel = ${dModel}, got heads = ${heads}`,
      );
    }
    const rng = options.rng ?? defaultRng();
    this.dModel = dModel;
    this.heads = heads;
    this.headSize = dModel / heads;
    this.causal = options.causal ?? false;
    // nn.Linear's default, U(±1/√dModel), for every projection and bias.
    const weight = (name: string): Parameter =>
      new Parameter(name, defaultUniform([dModel, dModel], dModel, rng), 'weight');
    const bias = (name: string): Parameter => new Parameter(name, defaultUniform([dModel], dModel, rng), 'bias');
    this.Wq = weight('Wq');
    this.Wk = weight('Wk');
    this.Wv = weight('Wv');
    this.Wo = weight('Wo');
    this.bq = bias('bq');
    this.bk = bias('bk');
    this.bv = bias('bv');
    this.bo = bias('bo');
    this.#attention = Array.from({ length: heads }, () => new ScaledDotProductAttention({ causal: this.causal }));
  }

  /** Each head's attention weights of the last forward, [batch, heads, T, T] (read from the heads' attentions). */
  get weights(): Tensor {
    const perHead = this.#attention.map((attention) => attention.weights);
    const [batch, time] = perHead[0].shape;
    const out = allocate(perHead[0].dtype, batch * this.heads * time * time);
    perHead.forEach((weights, h) => {
      for (let b = 0; b < batch; b++)
        out.set(weights.data.subarray(b * time * time, (b + 1) * time * time), (b * this.heads + h) * time * time);
    });
    return new Tensor([batch, this.heads, time, time], out);
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'time', this.dModel], 'MultiHeadSelfAttention.forward');
    expectFinite(input, 'MultiHeadSelfAttention.forward');
    const [batch, time] = input.shape;
    const rows = input.reshape([batch * time, this.dModel]);
    const dk = this.headSize;
    let heads: Tensor;
    let output: Tensor;
    // Set heads to O, the heads side by side as rows [batch·T, dModel], and output to y as rows [batch·T, dModel].
    // BEGIN SOLUTION
    const q = add(matmul(rows, this.Wq.value), this.bq.value);
    const k = add(matmul(rows, this.Wk.value), this.bk.value);
    const v = add(matmul(rows, this.Wv.value), this.bv.value);
    const head = (m: Tensor, h: number): Tensor => sliceColumns(m, h * dk, (h + 1) * dk).reshape([batch, time, dk]);
    heads = concatColumns(
      this.#attention.map((attention, h) =>
        attention.forward(head(q, h), head(k, h), head(v, h)).reshape([batch * time, dk]),
      ),
    );
    output = add(matmul(heads, this.Wo.value), this.bo.value);
    // END SOLUTION
    this.#input = input;
    this.#heads = heads;
    return output.reshape([batch, time, this.dModel]);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'MultiHeadSelfAttention.backward');
    const heads = cached(this.#heads, 'MultiHeadSelfAttention.backward');
    const [batch, time] = input.shape;
    expectShape(gradOutput.shape, [batch, time, this.dModel], 'MultiHeadSelfAttention.backward', 'gradOutput');
    const rows = input.reshape([batch * time, this.dModel]);
    const g = gradOutput.reshape([batch * time, this.dModel]);
    const dk = this.headSize;
    let gradInput: Tensor;
    // Accumulate all eight gradients; set gradInput to ∂L/∂x as rows [batch·T, dModel].
    // BEGIN SOLUTION
    this.Wo.accumulate(matmul(transpose(heads), g));
    this.bo.accumulate(sum(g, 0));
    const gradHeads = matmul(g, transpose(this.Wo.value));
    const parts = this.#attention.map((attention, h) =>
      attention.backward(sliceColumns(gradHeads, h * dk, (h + 1) * dk).reshape([batch, time, dk])),
    );
    const merge = (pick: (p: (typeof parts)[number]) => Tensor): Tensor =>
      concatColumns(parts.map((p) => pick(p).reshape([batch * time, dk])));
    const gradQ = merge((p) => p.query);
    const gradK = merge((p) => p.key);
    const gradV = merge((p) => p.value);
    this.Wq.accumulate(matmul(transpose(rows), gradQ));
    this.Wk.accumulate(matmul(transpose(rows), gradK));
    this.Wv.accumulate(matmul(transpose(rows), gradV));
    this.bq.accumulate(sum(gradQ, 0));
    this.bk.accumulate(sum(gradK, 0));
    this.bv.accumulate(sum(gradV, 0));
    gradInput = add(
      add(matmul(gradQ, transpose(this.Wq.value)), matmul(gradK, transpose(this.Wk.value))),
      matmul(gradV, transpose(this.Wv.value)),
    );
    // END SOLUTION
    return gradInput.reshape([batch, time, this.dModel]);
  }

  parameters(): Parameter[] {
    return [this.Wq, this.Wk, this.Wv, this.Wo, this.bq, this.bk, this.bv, this.bo];
  }

  /** Every W with fans (dModel, dModel); every b with the same fans. */
  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    for (const w of [this.Wq, this.Wk, this.Wv, this.Wo])
      w.assign(weights.initialize(w.value.shape, this.dModel, this.dModel, rng));
    for (const b of [this.bq, this.bk, this.bv, this.bo])
      b.assign(biases.initialize(b.value.shape, this.dModel, this.dModel, rng));
  }
}
