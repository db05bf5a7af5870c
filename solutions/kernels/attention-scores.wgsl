// Attention scores on the GPU, for a batch of query and key sequences:
//   S[b, i, j] = Σ_c Q[b, i, c] · K[b, j, c] / √d        (seed 004: 7785, "qkᵀ/√d_k"; 7684)
// and, when params.causal is 1, the causal mask: S[b, i, j] = the lowest float32 where j > i (query i
// may look only at keys 0 … i; seed 004: 7810, "self-attention only computed on previous outputs").
// Shapes: Q [B, TQ, D], K [B, TK, D] → S [B, TQ, TK], all row-major. Softmax over the last axis (the
// softmax kernel of Exercise 5) then turns S into the attention weights; a masked score becomes a
// weight of exactly 0 there, since exp(lowest − row maximum) underflows to 0.
//
// CPU reference (tests/helpers/attention-reference.ts, attentionScoresOf):
//   for b, i, j:                              ← these three loops become the grid
//     if causal and j > i: S[(b·TQ + i)·TK + j] = −∞; continue
//     dot = 0
//     for c < D: dot += Q[(b·TQ + i)·D + c] · K[(b·TK + j)·D + c]     ← K is read along its row: Kᵀ
//     S[(b·TQ + i)·TK + j] = dot / √D
//
// Why not −∞: WGSL lets an implementation assume that no value is infinite (WGSL §15.7), and a
// constant expression that evaluates to ∞ does not compile. The lowest finite float32 does the same
// job: the softmax maps it to exactly 0 as long as one score of the row is unmasked (j = i always is).
//
// Grid: workgroups of 8×8 invocations cover S's [TQ, TK] matrix (x → key j, y → query i), the z axis
// of the grid counts the batch (id.z = b). TQ and TK are rarely multiples of 8: guard every write.
//
// Handout: docs/exercises/6-modern.md#attentionscoreskernel

const LOWEST = -3.4028234663852886e38; // the lowest finite f32: the GPU's −∞ for masked scores

struct Params {
  batch: u32,
  queries: u32, // TQ
  keys: u32,    // TK
  depth: u32,   // D
  causal: u32,  // 1: mask j > i
}

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read_write> s: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let j = id.x;
  let i = id.y;
  let b = id.z;
  // BEGIN SOLUTION
  if (i >= params.queries || j >= params.keys || b >= params.batch) {
    return;
  }
  let at = (b * params.queries + i) * params.keys + j;
  if (params.causal == 1u && j > i) {
    s[at] = LOWEST;
    return;
  }
  let qRow = (b * params.queries + i) * params.depth;
  let kRow = (b * params.keys + j) * params.depth;
  var dot = 0.0;
  for (var c = 0u; c < params.depth; c++) {
    dot += q[qRow + c] * k[kRow + c];
  }
  s[at] = dot * inverseSqrt(f32(params.depth));
  // END SOLUTION
}
