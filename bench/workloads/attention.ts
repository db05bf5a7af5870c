import { Rng, Tensor } from '../../framework/index.js';
import { MultiHeadSelfAttention } from '../../solutions/layers/multi-head-self-attention.js';
import type { Tensor as TfTensor } from '@tensorflow/tfjs';
import type { Tfjs } from '../lib/tfjs.js';

/**
 * One multi-head self-attention layer, forward and backward, the same in every implementation:
 *   x [batch, T, dModel] → Q, K, V = x·W + b → per head softmax(Q_h·K_hᵀ/√dk)·V_h → concat·Wo + bo
 * (the kit's solutions/layers/multi-head-self-attention.ts: contiguous head columns, W [in, out]).
 * The backward is the gradient of L = Σ y ⊙ G for a fixed G: ∂L/∂x and the eight parameter gradients.
 * Every implementation starts from the kit's weights and the same x and G, so the outputs and the
 * gradients can be compared before anything is timed.
 */
export const attentionShape = { batch: 16, time: 32, dModel: 64, heads: 4 } as const;

/** FLOPs of one forward (multiply-adds × 2): four projections, then scores and weighted sums per head. */
export function attentionForwardFlops({ batch, time, dModel } = attentionShape): number {
  const projections = 4 * 2 * batch * time * dModel * dModel;
  const attention = 2 * 2 * batch * time * time * dModel; // Q·Kᵀ and A·V over all heads together
  return projections + attention;
}

export interface AttentionResults {
  /** y, then ∂L/∂x, then the parameter gradients in the order Wq, Wk, Wv, Wo, bq, bk, bv, bo. */
  readonly outputs: Array<ArrayLike<number>>;
}

export interface AttentionWorkload {
  forward(): void;
  forwardBackward(): void;
  /** y, ∂L/∂x and the parameter gradients of one fresh forward + backward (for the comparison). */
  results(): AttentionResults;
  dispose(): void;
}

export interface AttentionProblem {
  readonly x: Tensor;
  readonly gradOutput: Tensor;
  readonly layer: MultiHeadSelfAttention;
}

export function attentionProblem(seed = 2026, causal = false): AttentionProblem {
  const { batch, time, dModel, heads } = attentionShape;
  const rng = new Rng(seed);
  const f32 = (t: Tensor) =>
    new Tensor(
      t.shape,
      Float64Array.from(t.data, (v) => Math.fround(v)),
    );
  const layer = new MultiHeadSelfAttention({ dModel, heads, causal, rng });
  // float32-exact weights and inputs, so float32 and float64 start from the same numbers.
  for (const p of layer.parameters()) p.assign(f32(p.value));
  return {
    x: f32(rng.uniformTensor([batch, time, dModel], -1, 1)),
    gradOutput: f32(rng.uniformTensor([batch, time, dModel], -1, 1)),
    layer,
  };
}

/** The kit's reference layer, float64 on the CPU. */
export function kitAttention({ x, gradOutput, layer }: AttentionProblem): AttentionWorkload {
  const run = (backward: boolean): AttentionResults => {
    for (const p of layer.parameters()) p.zeroGrad();
    const y = layer.forward(x);
    if (!backward) return { outputs: [y.data] };
    const dx = layer.backward(gradOutput);
    return { outputs: [y.data, dx.data, ...layer.parameters().map((p) => p.grad.data)] };
  };
  return {
    forward: () => void run(false),
    forwardBackward: () => void run(true),
    results: () => run(true),
    dispose: () => {},
  };
}

/** The same layer in tfjs (float32), its gradients from tf.grads. */
export function tfjsAttention(tf: Tfjs, { x, gradOutput, layer }: AttentionProblem): AttentionWorkload {
  const { batch, time, dModel, heads } = attentionShape;
  const dk = dModel / heads;
  const toTf = (t: Tensor) => tf.tensor(Float32Array.from(t.data), [...t.shape]);
  const parameters = layer.parameters().map((p) => toTf(p.value)); // Wq, Wk, Wv, Wo, bq, bk, bv, bo
  const xs = toTf(x);
  const g = toTf(gradOutput);
  const mask = layer.causal
    ? tf.linalg
        .bandPart(tf.ones([time, time]), -1, 0)
        .sub(1)
        .mul(1e9)
    : undefined;
  const forward = (
    input: TfTensor,
    wq: TfTensor,
    wk: TfTensor,
    wv: TfTensor,
    wo: TfTensor,
    bq: TfTensor,
    bk: TfTensor,
    bv: TfTensor,
    bo: TfTensor,
  ): TfTensor => {
    const rows = tf.reshape(input, [batch * time, dModel]);
    const split = (m: TfTensor) => tf.transpose(tf.reshape(m, [batch, time, heads, dk]), [0, 2, 1, 3]); // [B, H, T, dk]
    const q = split(tf.add(tf.matMul(rows as never, wq as never), bq));
    const k = split(tf.add(tf.matMul(rows as never, wk as never), bk));
    const v = split(tf.add(tf.matMul(rows as never, wv as never), bv));
    let scores = tf.mul(tf.matMul(q as never, k as never, false, true), 1 / Math.sqrt(dk));
    if (mask) scores = tf.add(scores, mask);
    const heads_ = tf.matMul(tf.softmax(scores) as never, v as never); // [B, H, T, dk]
    const concat = tf.reshape(tf.transpose(heads_, [0, 2, 1, 3]), [batch * time, dModel]);
    return tf.reshape(tf.add(tf.matMul(concat as never, wo as never), bo), [batch, time, dModel]);
  };
  const objective = (...inputs: TfTensor[]) => tf.sum(tf.mul(forward(...(inputs as Parameters<typeof forward>)), g));
  const gradients = tf.grads(objective as (...args: TfTensor[]) => TfTensor);
  return {
    forward: () =>
      tf.tidy(
        () =>
          void forward(
            xs,
            ...(parameters as [TfTensor, TfTensor, TfTensor, TfTensor, TfTensor, TfTensor, TfTensor, TfTensor]),
          ).dataSync(),
      ),
    forwardBackward: () => tf.tidy(() => void gradients([xs, ...parameters])[0].dataSync()),
    results: () =>
      tf.tidy(() => {
        const y = forward(
          xs,
          ...(parameters as [TfTensor, TfTensor, TfTensor, TfTensor, TfTensor, TfTensor, TfTensor, TfTensor]),
        );
        return { outputs: [y.dataSync(), ...gradients([xs, ...parameters]).map((t) => t.dataSync())] };
      }),
    dispose: () => tf.dispose([xs, g, ...parameters, ...(mask ? [mask] : [])]),
  };
}

/** The largest |a − b| / (1 + |b|) over every output, and which output it was in. */
export function worstDifference(got: AttentionResults, expected: AttentionResults): { worst: number; output: number } {
  let worst = 0;
  let output = -1;
  expected.outputs.forEach((want, n) => {
    const have = got.outputs[n];
    if (!have || have.length !== want.length) {
      worst = Infinity;
      output = n;
      return;
    }
    for (let i = 0; i < want.length; i++) {
      const difference = Math.abs(have[i] - want[i]) / (1 + Math.abs(want[i]));
      if (!(difference <= worst)) [worst, output] = [difference, n];
    }
  });
  return { worst, output };
}
