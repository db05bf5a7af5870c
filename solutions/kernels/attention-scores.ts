import { registerKernel } from '../../framework/backend/kernel-registry.js';
import { ShapeError } from '../../framework/errors.js';
import { formatShape } from '../../framework/tensor/shape.js';
import { dispatch, emptyGpuTensor, loadWgslKernel, workgroupsFor } from '../../framework/webgpu/index.js';

/**
 * Attention scores on WebGPU (an Exercise 6 extension of Exercise 5's kernels): registers
 * 'attentionScores' for 'webgpu':
 *   inputs     [q [B, TQ, D], k [B, TK, D]]
 *   attributes { causal?: boolean }   (default false; causal needs TQ = TK)
 *   output     s [B, TQ, TK],  s[b, i, j] = q[b, i, :]·k[b, j, :] / √D,
 *              and with `causal` the lowest float32 wherever j > i (the GPU's −∞)
 * Softmax over the last axis, `runKernel('softmax', [s])` (Exercise 5's kernel), gives the
 * attention weights, with masked weights exactly 0. Seed 004: 7785 (qkᵀ/√d_k), 7810 (masking).
 *
 * Handout: docs/exercises/6-modern.md#attentionscoreskernel
 */
export const attentionScoresKernel = loadWgslKernel(new URL('./attention-scores.wgsl', import.meta.url), {
  name: 'attentionScores',
  bindings: ['read', 'read', 'write', 'uniform'],
});

const TILE = 8; // @workgroup_size(8, 8, 1) in attention-scores.wgsl

registerKernel('attentionScores', 'webgpu', ([q, k], attributes) => {
  if (q.rank !== 3 || k.rank !== 3 || q.shape[0] !== k.shape[0] || q.shape[2] !== k.shape[2] || q.shape[2] === 0) {
    throw new ShapeError(
      `attentionScores (webgpu) expected q [batch, TQ, d] and k [batch, TK, d] with the same batch and d ≥ 1, got q ${formatShape(q.shape)}, k ${formatShape(k.shape)}`,
    );
  }
  const [batch, queries, depth] = q.shape;
  const keys = k.shape[1];
  const causal = attributes.causal === true;
  if (causal && queries !== keys) {
    throw new ShapeError(
      `attentionScores (webgpu) with causal needs as many queries as keys (query i sees keys 0 … i), got q ${formatShape(q.shape)}, k ${formatShape(k.shape)}`,
    );
  }
  const s = emptyGpuTensor([batch, queries, keys]);
  dispatch(attentionScoresKernel, {
    buffers: [q, k, s],
    params: [batch, queries, keys, depth, causal ? 1 : 0].map((u32) => ({ u32 })),
    workgroups: [workgroupsFor(keys, TILE), workgroupsFor(queries, TILE), batch],
  });
  return s;
});
