import { loadTfjs, tfjsRecord, useTfjsBackend, type TfjsBackendName } from '../lib/tfjs.js';
import { figures, ratios } from '../lib/report.js';
import { round, timePerUnit, timingFor, type Timing } from '../lib/timing.js';
import { progress } from '../lib/log.js';
import {
  attentionForwardFlops,
  attentionProblem,
  attentionShape,
  kitAttention,
  tfjsAttention,
  worstDifference,
  type AttentionResults,
  type AttentionWorkload,
} from '../workloads/attention.js';
import { Rng, type Tensor } from '../../framework/index.js';

/**
 * Exercise 6 benchmarks (issue 12):
 *   attention-forward, attention-forward-backward
 *       the kit's MultiHeadSelfAttention (batch 16, T 32, dModel 64, 4 heads; float64, plain loops for
 *       the attention, framework matmul for the projections) beside the same layer in tfjs 4.22 on its
 *       wasm and cpu backends (float32), ms per call by process CPU time and by the wall clock;
 *       outputs and all nine gradients are compared first.
 *   attention-scores-webgpu
 *       the attention-scores kernel plus Exercise 5's softmax kernel (solutions/kernels) on the WebGPU
 *       adapter (in CI: Mesa lavapipe, a software Vulkan on the CPU cores) beside the float64 CPU
 *       loops, for the layer's 64 heads·batch of [32, 16]. Skipped, with the reason, without an adapter.
 * A ratio is the kit's time ÷ the other's for the same work: ≤ 1 means the kit is as fast or faster.
 */
export const runByDefault = false;

const backends: readonly TfjsBackendName[] = ['wasm', 'cpu'];

export default async function* attention(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const timing = timingFor(options.quick);
  const tfjs = await loadTfjs();
  yield tfjsRecord(tfjs);
  const problem = attentionProblem();
  const kit = kitAttention(problem);
  const expected = copy(kit.results());
  const timings: Record<string, { forward: Timing; forwardBackward: Timing }> = {};
  const measure = (name: string, workload: AttentionWorkload): void => {
    const forward = timePerUnit((count) => repeat(count, workload.forward), timing);
    const forwardBackward = timePerUnit((count) => repeat(count, workload.forwardBackward), timing);
    timings[name] = { forward, forwardBackward };
    progress(
      `attention ${name}: forward ${forward.cpuMs.toFixed(3)} ms CPU (${forward.wallMs.toFixed(3)} wall), forward+backward ${forwardBackward.cpuMs.toFixed(3)} ms CPU (${forwardBackward.wallMs.toFixed(3)} wall)`,
    );
  };
  measure('dlkit', kit);
  const agreement: Record<string, number> = {};
  for (const backend of backends) {
    await useTfjsBackend(tfjs, backend);
    const workload = tfjsAttention(tfjs.tf, problem);
    try {
      const { worst, output } = worstDifference(workload.results(), expected);
      if (!(worst < 1e-4))
        throw new Error(
          `attention: tfjs ${backend} differs from the kit by ${worst} in output ${output} (0 = y, 1 = ∂L/∂x, 2… = Wq, Wk, Wv, Wo, bq, bk, bv, bo): not the same layer`,
        );
      agreement[`tfjs_${backend}_worst_relative_difference`] = round(worst, 2);
      measure(`tfjs_${backend}`, workload);
    } finally {
      workload.dispose();
    }
  }
  const { batch, time, dModel, heads } = attentionShape;
  const flops = attentionForwardFlops();
  for (const pass of ['forward', 'forwardBackward'] as const) {
    const record: Record<string, unknown> = {
      name: pass === 'forward' ? 'attention-forward' : 'attention-forward-backward',
      layer: `MultiHeadSelfAttention x [${batch}, ${time}, ${dModel}], ${heads} heads (dk ${dModel / heads}), not causal`,
      what:
        pass === 'forward'
          ? 'y = MHSA(x)'
          : 'y, then ∂L/∂x and the gradients of Wq, Wk, Wv, Wo, bq, bk, bv, bo for L = Σ y ⊙ G',
      dtype: 'dlkit float64, tfjs float32',
      forward_gflop: round(flops / 1e9),
      ...agreement,
    };
    for (const [name, time_] of Object.entries(timings))
      Object.assign(
        record,
        figures(name === 'dlkit' ? '' : `${name}_`, time_[pass], (ms) => ms, 'ms_per_call'),
      );
    Object.assign(
      record,
      ratios(timings.dlkit[pass], Object.fromEntries(backends.map((b) => [`tfjs_${b}`, timings[`tfjs_${b}`]?.[pass]]))),
    );
    yield record;
  }
  yield await scoresOnWebGpu(options.quick);
}

function repeat(count: number, work: () => void): void {
  for (let i = 0; i < count; i++) work();
}

function copy(results: AttentionResults): AttentionResults {
  return { outputs: results.outputs.map((values) => Float64Array.from(values)) };
}

/** Scores + softmax of the layer's heads on WebGPU (kernel, then Exercise 5's softmax) against the CPU loops. */
async function scoresOnWebGpu(quick: boolean): Promise<Record<string, unknown>> {
  const { batch, time, dModel, heads } = attentionShape;
  const [entries, depth] = [batch * heads, dModel / heads];
  const name = `attention-scores-webgpu-${entries}x${time}x${depth}`;
  const webgpu = await import('../../framework/webgpu/index.js');
  let context: Awaited<ReturnType<typeof webgpu.initWebGpu>>;
  try {
    context = await webgpu.initWebGpu();
  } catch (error) {
    return { name, skipped: `no WebGPU adapter: ${error instanceof Error ? error.message : String(error)}` };
  }
  await import('../../solutions/kernels/index.js'); // Exercise 5's softmax kernel
  await import('../../solutions/kernels/attention-scores.js');
  const { runKernel } = await import('../../framework/index.js');
  const rng = new Rng(7);
  const results: Record<string, unknown> = {
    name,
    adapter: webgpu.describeAdapter(context.adapter),
    shape: `q, k [${entries}, ${time}, ${depth}] → weights [${entries}, ${time}, ${time}]`,
  };
  for (const causal of [false, true]) {
    const q = rng.uniformTensor([entries, time, depth], -1, 1);
    const k = rng.uniformTensor([entries, time, depth], -1, 1);
    const [gq, gk] = [await q.to('webgpu'), await k.to('webgpu')];
    const onGpu = async () => {
      const scores = runKernel('attentionScores', [gq, gk], { causal });
      const weights = runKernel('softmax', [scores]);
      const back = await weights.to('cpu');
      webgpu.releaseTensor(scores);
      webgpu.releaseTensor(weights);
      return back;
    };
    const expected = weightsOnCpu(q, k, causal);
    const got = await onGpu();
    let worst = 0;
    let maskedNonZero = 0;
    for (let i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(got.data[i] - expected[i]));
      if (expected[i] === 0 && got.data[i] !== 0) maskedNonZero++;
    }
    if (!(worst < 1e-4) || maskedNonZero > 0)
      throw new Error(
        `attention scores on WebGPU differ from the CPU by ${worst} (${maskedNonZero} masked weights not 0)`,
      );
    const gpu = await timeAsync(onGpu, quick ? 3 : 15);
    const cpu = await timeAsync(async () => weightsOnCpu(q, k, causal), quick ? 3 : 15);
    const tag = causal ? 'causal_' : '';
    Object.assign(results, {
      [`${tag}webgpu_ms`]: round(gpu.wallMs),
      [`${tag}webgpu_process_cpu_ms`]: round(gpu.cpuMs),
      [`${tag}cpu_oracle_ms`]: round(cpu.wallMs),
      [`${tag}cpu_oracle_process_cpu_ms`]: round(cpu.cpuMs),
      [`${tag}max_abs_error_vs_cpu`]: round(worst, 2),
    });
    webgpu.releaseTensor(gq);
    webgpu.releaseTensor(gk);
  }
  results.note =
    'webgpu_ms = both dispatches and the read-back of the weights (wall clock, median of the repeats after a warm-up); lavapipe runs the shaders on worker threads of this process, so process CPU time includes them; figures on lavapipe say nothing about a real GPU';
  await webgpu.destroyWebGpu();
  return results;
}

/** softmax(Q·Kᵀ/√d, masked) per batch entry: plain loops, float64 (the oracle). */
function weightsOnCpu(q: Tensor, k: Tensor, causal: boolean): Float64Array {
  const [entries, time, depth] = q.shape;
  const scale = 1 / Math.sqrt(depth);
  const out = new Float64Array(entries * time * time);
  for (let b = 0; b < entries; b++) {
    for (let i = 0; i < time; i++) {
      const row = (b * time + i) * time;
      let largest = -Infinity;
      for (let j = 0; j < time; j++) {
        let dot = 0;
        for (let c = 0; c < depth; c++) dot += q.data[(b * time + i) * depth + c] * k.data[(b * time + j) * depth + c];
        out[row + j] = causal && j > i ? -Infinity : dot * scale;
        largest = Math.max(largest, out[row + j]);
      }
      let total = 0;
      for (let j = 0; j < time; j++) total += out[row + j] = Math.exp(out[row + j] - largest);
      for (let j = 0; j < time; j++) out[row + j] /= total;
    }
  }
  return out;
}

/** Median wall-clock and process-CPU ms of an async unit of work, after one warm-up call. */
async function timeAsync(work: () => Promise<unknown>, repeats: number): Promise<Timing> {
  await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await work();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}
