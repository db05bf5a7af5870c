import type { BuggedVariant } from './variant.js';

const SDPA = 'layers/scaled-dot-product-attention.ts';
const MHSA = 'layers/multi-head-self-attention.ts';
const PE = 'layers/positional-encoding.ts';

/** Realistic mistakes in Exercise 6's attention components (see variant.ts). */
export const ex6Attention: readonly BuggedVariant[] = [
  {
    id: 'sdpa-mask-after-softmax',
    exercise: 'ex6',
    component: 'ScaledDotProductAttention',
    file: SDPA,
    bug: 'takes the softmax over all keys and zeroes the masked weights afterwards, so the visible weights no longer sum to 1',
    replace: [
      ['scores[j] = this.causal && j > i ? -Infinity : dot * scale;', 'scores[j] = dot * scale;'],
      [
        'for (let j = 0; j < keys; j++) a[row + j] = scores[j] / total;',
        'for (let j = 0; j < keys; j++) a[row + j] = this.causal && j > i ? 0 : scores[j] / total;',
      ],
    ],
  },
  {
    id: 'sdpa-mask-large-negative-constant',
    exercise: 'ex6',
    component: 'ScaledDotProductAttention',
    file: SDPA,
    bug: 'masks with a large negative constant (−1e9) instead of −∞, which leaks weight once the scores are larger than the constant',
    replace: [
      [
        'scores[j] = this.causal && j > i ? -Infinity : dot * scale;',
        'scores[j] = this.causal && j > i ? -1e9 : dot * scale;',
      ],
    ],
  },
  {
    id: 'sdpa-scaled-by-d',
    exercise: 'ex6',
    component: 'ScaledDotProductAttention',
    file: SDPA,
    bug: 'divides the scores by d instead of √d, in forward and backward alike',
    replace: [
      ['const scale = 1 / Math.sqrt(features);\n    const scores', 'const scale = 1 / features;\n    const scores'],
      [
        'const scale = 1 / Math.sqrt(features);\n    const gradWeights',
        'const scale = 1 / features;\n    const gradWeights',
      ],
    ],
  },
  {
    id: 'sdpa-softmax-over-queries',
    exercise: 'ex6',
    component: 'ScaledDotProductAttention',
    file: SDPA,
    bug: 'normalises each key’s column over the queries (softmax over the wrong axis) instead of each query’s row over the keys',
    replace: [
      [
        `        let total = 0;
        for (let j = 0; j < keys; j++) {
          scores[j] = Math.exp(scores[j] - largest);
          total += scores[j];
        }
        for (let j = 0; j < keys; j++) a[row + j] = scores[j] / total;
        for (let c = 0; c < valueFeatures; c++) {`,
        `        for (let j = 0; j < keys; j++) a[row + j] = scores[j];
      }
      for (let j = 0; j < keys; j++) {
        let top = -Infinity;
        for (let i = 0; i < queries; i++) top = Math.max(top, a[(b * queries + i) * keys + j]);
        let total = 0;
        for (let i = 0; i < queries; i++) total += Math.exp(a[(b * queries + i) * keys + j] - top);
        for (let i = 0; i < queries; i++) a[(b * queries + i) * keys + j] = Math.exp(a[(b * queries + i) * keys + j] - top) / total;
      }
      for (let i = 0; i < queries; i++) {
        const row = (b * queries + i) * keys;
        for (let c = 0; c < valueFeatures; c++) {`,
      ],
    ],
  },
  {
    id: 'mhsa-heads-split-interleaved',
    exercise: 'ex6',
    component: 'MultiHeadSelfAttention',
    file: MHSA,
    bug: 'gives head h the interleaved columns h, h + H, h + 2H, … (a reshape to [.., dk, heads]) instead of the contiguous block h·dk … (h+1)·dk − 1, consistently in forward and backward',
    replace: [
      [
        '/** The options of `new MultiHeadSelfAttention',
        `/** Columns h, h + H, … of m [rows, H·dk] as [rows, dk]. */
function gatherHead(m: Tensor, h: number, heads: number): Tensor {
  const [rows, width] = m.shape;
  const dk = width / heads;
  const out = new Float64Array(rows * dk);
  for (let r = 0; r < rows; r++) for (let c = 0; c < dk; c++) out[r * dk + c] = m.data[r * width + c * heads + h];
  return new Tensor([rows, dk], out);
}

/** The inverse: part h into columns h, h + H, …. */
function scatterHeads(parts: readonly Tensor[]): Tensor {
  const heads = parts.length;
  const [rows, dk] = parts[0].shape;
  const out = new Float64Array(rows * heads * dk);
  parts.forEach((part, h) => {
    for (let r = 0; r < rows; r++) for (let c = 0; c < dk; c++) out[r * heads * dk + c * heads + h] = part.data[r * dk + c];
  });
  return new Tensor([rows, heads * dk], out);
}

/** The options of \`new MultiHeadSelfAttention`,
      ],
      [
        'sliceColumns(m, h * dk, (h + 1) * dk).reshape([batch, time, dk]);',
        'gatherHead(m, h, this.heads).reshape([batch, time, dk]);',
      ],
      ['heads = concatColumns(this.#attention.map(', 'heads = scatterHeads(this.#attention.map('],
      [
        'attention.backward(sliceColumns(gradHeads, h * dk, (h + 1) * dk).reshape(',
        'attention.backward(gatherHead(gradHeads, h, this.heads).reshape(',
      ],
      [
        'concatColumns(parts.map((p) => pick(p).reshape([batch * time, dk])))',
        'scatterHeads(parts.map((p) => pick(p).reshape([batch * time, dk])))',
      ],
    ],
  },
  {
    id: 'mhsa-missing-wo-gradient',
    exercise: 'ex6',
    component: 'MultiHeadSelfAttention',
    file: MHSA,
    bug: 'back-propagates through Wo but never adds Oᵀ·G to Wo.grad, so the output projection never learns',
    replace: [['    this.Wo.accumulate(matmul(transpose(heads), g));\n', '']],
  },
  {
    id: 'positional-encoding-sin-cos-swapped',
    exercise: 'ex6',
    component: 'PositionalEncoding',
    file: PE,
    bug: 'puts the cosine on the even features and the sine on the odd ones',
    replace: [
      ['pe[pos * features + 2 * i] = Math.sin(angle);', 'pe[pos * features + 2 * i] = Math.cos(angle);'],
      ['pe[pos * features + 2 * i + 1] = Math.cos(angle);', 'pe[pos * features + 2 * i + 1] = Math.sin(angle);'],
    ],
  },
  {
    id: 'positional-encoding-exponent-i-over-d',
    exercise: 'ex6',
    component: 'PositionalEncoding',
    file: PE,
    bug: 'uses the pair index i instead of 2i in the exponent, pos/10000^(i/d), so the frequencies fall half as fast',
    replace: [['const angle = pos / 10000 ** ((2 * i) / features);', 'const angle = pos / 10000 ** (i / features);']],
  },
  {
    id: 'attention-model-embedding-scaled-by-sqrt-d',
    exercise: 'ex6',
    component: 'AttentionModel',
    file: PE,
    bug: 'multiplies the embeddings by √d before adding the encoding (as the Transformer paper does), which the kit’s model does not, so the model computes something else',
    replace: [
      [
        'y[b * time * features + j] = x[b * time * features + j] + pe[j];',
        'y[b * time * features + j] = x[b * time * features + j] * Math.sqrt(features) + pe[j];',
      ],
      [
        'return gradOutput.clone();',
        'return new Tensor(gradOutput.shape, gradOutput.data.map((g) => g * Math.sqrt(shape[2])));',
      ],
    ],
  },
  {
    id: 'attention-scores-kernel-scaled-by-d',
    exercise: 'ex6',
    component: 'AttentionScoresKernel',
    file: 'kernels/attention-scores.wgsl',
    bug: 'divides the scores by d instead of √d',
    replace: [['s[at] = dot * inverseSqrt(f32(params.depth));', 's[at] = dot / f32(params.depth);']],
  },
  {
    id: 'attention-scores-kernel-mask-wrong-triangle',
    exercise: 'ex6',
    component: 'AttentionScoresKernel',
    file: 'kernels/attention-scores.wgsl',
    bug: 'masks the keys before the query (j < i) instead of after it',
    replace: [['if (params.causal == 1u && j > i) {', 'if (params.causal == 1u && j < i) {']],
  },
  {
    id: 'attention-scores-kernel-masks-with-zero',
    exercise: 'ex6',
    component: 'AttentionScoresKernel',
    file: 'kernels/attention-scores.wgsl',
    bug: 'writes 0 for a masked score, which the softmax turns into a weight of exp(−max), not 0',
    replace: [['    s[at] = LOWEST;\n', '    s[at] = 0.0;\n']],
  },
  {
    id: 'attention-scores-kernel-k-not-transposed',
    exercise: 'ex6',
    component: 'AttentionScoresKernel',
    file: 'kernels/attention-scores.wgsl',
    bug: 'reads K down a column (k[c·TK + j]) as in a plain Q·K, instead of along row j (Kᵀ)',
    replace: [
      ['dot += q[qRow + c] * k[kRow + c];', 'dot += q[qRow + c] * k[(b * params.depth + c) * params.keys + j];'],
    ],
  },
  {
    id: 'attention-scores-kernel-no-bounds-guard',
    exercise: 'ex6',
    component: 'AttentionScoresKernel',
    file: 'kernels/attention-scores.wgsl',
    bug: 'drops the bounds guard: invocations past the last key write into the next row',
    replace: [['  if (i >= params.queries || j >= params.keys || b >= params.batch) {\n    return;\n  }\n', '']],
    racy: true,
  },
];
