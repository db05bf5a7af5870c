import { loadTfjs, useTfjsBackend, type TfjsBackendName, type TfjsRuntime } from '../lib/tfjs.js';
import { medianMsPerUnit, round, timingFor, type TimingOptions } from '../lib/timing.js';
import { progress } from '../lib/log.js';
import { registerConv2dBackpropFilterShim } from '../lib/tfjs-conv-filter-shim.js';
import {
  conv2dFlops,
  conv2dShape,
  convnetjsConv2d,
  kitConv2d,
  tfjsConv2d,
  type Conv2dWorkload,
} from '../workloads/conv2d.js';
import {
  convnetjsDigitsCnn,
  digitsCnnProblem,
  kitDigitsCnn,
  tfjsDigitsCnn,
  type CnnTrainer,
} from '../workloads/digits-cnn.js';
import { withKernels } from '../../framework/index.js';
import { fastConvKernels } from '../../solutions/layers/conv2d-fast.js';

/**
 * Exercise 2 benchmarks (issue 6), each beside tfjs 4.22 (cpu and wasm backends) and ConvNetJS 0.3:
 *   conv2d-forward, conv2d-backward   one layer's kernels: ms per call and GFLOP/s
 *   digits-cnn-train-step             ms per training iteration of the Digits CNN (batch 200, Adam),
 *                                     and the test accuracy every implementation reaches from the same
 *                                     start on the same batches (target: ratio_vs_tfjs_wasm ≤ 1)
 * "dlkit" is the reference solution on the im2col fast path (`withKernels(fastConvKernels, …)`, solutions/layers/conv2d-fast.ts);
 * "dlkit_oracle" is the plain-loop kernels a student writes (solutions/layers/conv2d-kernels.ts).
 * tfjs-wasm 4.22 has no Conv2DBackpropFilter kernel; a JavaScript shim is registered for it
 * (bench/lib/tfjs-conv-filter-shim.ts). A ratio is the kit's time ÷ the other's: ≤ 1 is as fast or faster.
 */
export const runByDefault = true;

const backends: readonly TfjsBackendName[] = ['cpu', 'wasm'];
const targetRatio = 1.0;

export default async function* conv(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const timing = timingFor(options.quick);
  const tfjs = await loadTfjs();
  const shimmed = registerConv2dBackpropFilterShim(tfjs.tf);
  progress(
    `conv: Conv2DBackpropFilter shim for tfjs wasm ${shimmed ? 'registered' : 'not needed (the backend has the kernel)'}`,
  );
  yield* conv2dThroughput(tfjs, timing);
  yield await digitsCnnStep(tfjs, timing, options.quick ? 10 : 100, shimmed);
}

async function* conv2dThroughput(tfjs: TfjsRuntime, timing: TimingOptions): AsyncGenerator<Record<string, unknown>> {
  const oracle = kitConv2d('oracle');
  const fast = kitConv2d('fast');
  const expected = oracle.forward();
  const worstFast = Math.max(...Array.from(fast.forward(), (v, i) => Math.abs(v - expected[i])));
  if (!(worstFast < 1e-9)) throw new Error(`conv2d: the fast path differs from the plain loops by ${worstFast}`);
  const ms = (work: () => unknown): number =>
    medianMsPerUnit((count) => {
      for (let i = 0; i < count; i++) work();
    }, timing);
  const results: Record<string, { forward: number; backward: number }> = {};
  const measure = (name: string, workload: Conv2dWorkload, backwardIncludesForward = false): void => {
    const forward = ms(() => workload.forward());
    const backward = ms(() => workload.backward()) - (backwardIncludesForward ? forward : 0);
    results[name] = { forward, backward };
    progress(`conv2d ${name}: forward ${forward.toFixed(3)} ms, backward ${backward.toFixed(3)} ms`);
  };
  measure('dlkit', fast);
  measure('dlkit_oracle', oracle);
  for (const backend of backends) {
    await useTfjsBackend(tfjs, backend);
    const workload = tfjsConv2d(tfjs.tf);
    try {
      const got = workload.forwardNchw();
      const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i]) / (1 + Math.abs(expected[i]))));
      if (!(worst < 1e-4))
        throw new Error(`conv2d: tfjs ${backend} differs from the kit by ${worst}: not the same convolution`);
      measure(`tfjs_${backend}`, workload);
    } finally {
      workload.dispose();
    }
  }
  measure('convnetjs', convnetjsConv2d(), true);
  const { batch, inChannels, outChannels, size, kernel } = conv2dShape;
  for (const pass of ['forward', 'backward'] as const) {
    const record: Record<string, unknown> = {
      name: `conv2d-${pass}`,
      shape: `x [${batch}, ${inChannels}, ${size}, ${size}], w [${outChannels}, ${inChannels}, ${kernel}, ${kernel}], same, stride 1`,
      what: pass === 'forward' ? 'y = conv(x) + b' : '∂L/∂x, ∂L/∂w and ∂L/∂b',
      dtype: 'dlkit and convnetjs float64, tfjs float32',
    };
    const flops = pass === 'forward' ? conv2dFlops : 2 * conv2dFlops;
    for (const [name, figures] of Object.entries(results)) {
      const prefix = name === 'dlkit' ? '' : `${name}_`;
      record[`${prefix}ms_per_call`] = round(figures[pass]);
      record[`${prefix}gflops`] = round(flops / (figures[pass] * 1e6));
    }
    for (const other of ['tfjs_cpu', 'tfjs_wasm', 'convnetjs', 'dlkit_oracle'])
      record[`ratio_vs_${other}`] = round(results.dlkit[pass] / results[other][pass], 3);
    if (pass === 'backward')
      record.note =
        'convnetjs backward = (its forward + backward per example) − its forward, as it keeps one example at a time';
    yield record;
  }
}

async function digitsCnnStep(
  tfjs: TfjsRuntime,
  timing: TimingOptions,
  accuracyIterations: number,
  shimmed: boolean,
): Promise<Record<string, unknown>> {
  const problem = digitsCnnProblem();
  const figures: Record<string, { ms: number; accuracy: number; firstLoss: number }> = {};
  const run = (name: string, make: () => CnnTrainer, onFastPath = false): void => {
    if (onFastPath) {
      withKernels(fastConvKernels, () => run(name, make));
      return;
    }
    const trainer = make();
    try {
      const losses = trainer.train(accuracyIterations);
      const accuracy = trainer.testAccuracy();
      const ms = medianMsPerUnit((count) => trainer.train(count), timing);
      figures[name] = { ms, accuracy, firstLoss: losses[0] };
      progress(
        `digits cnn ${name}: ${ms.toFixed(3)} ms/iteration, test accuracy ${accuracy.toFixed(4)} after ${accuracyIterations} iterations (first loss ${losses[0].toFixed(6)})`,
      );
    } finally {
      trainer.dispose();
    }
  };
  const initial = kitDigitsCnn(problem).initial;
  run('dlkit', () => kitDigitsCnn(problem), true);
  run('dlkit_oracle', () => kitDigitsCnn(problem));
  for (const backend of backends) {
    await useTfjsBackend(tfjs, backend);
    run(`tfjs_${backend}`, () => tfjsDigitsCnn(tfjs.tf, problem, initial));
  }
  run('convnetjs', () => convnetjsDigitsCnn(problem, initial));
  // Same start, same first batch: the first losses must agree (to float32 precision for tfjs).
  for (const [name, { firstLoss }] of Object.entries(figures)) {
    const difference = Math.abs(firstLoss - figures.dlkit.firstLoss);
    if (!(difference < 1e-4))
      throw new Error(
        `digits cnn: ${name}'s first loss ${firstLoss} differs from the kit's ${figures.dlkit.firstLoss}: not the same network`,
      );
  }
  const record: Record<string, unknown> = {
    name: 'digits-cnn-train-step',
    network:
      'Conv(1→4, 3×3, same) → ReLU → MaxPool 2×2 → Flatten → FC(64→32) → ReLU → FC(32→10), softmax cross-entropy, Adam lr 0.01',
    batch: problem.batchSize,
    accuracy_after_iterations: accuracyIterations,
    tfjs_wasm_conv2d_backprop_filter: shimmed ? 'JavaScript shim' : 'native',
  };
  for (const [name, { ms, accuracy }] of Object.entries(figures)) {
    const prefix = name === 'dlkit' ? '' : `${name}_`;
    record[`${prefix}ms_per_iteration`] = round(ms);
    record[`${prefix}test_accuracy`] = round(accuracy);
  }
  for (const other of ['tfjs_cpu', 'tfjs_wasm', 'convnetjs', 'dlkit_oracle'])
    record[`ratio_vs_${other}`] = round(figures.dlkit.ms / figures[other].ms, 3);
  record.target = `ratio_vs_tfjs_wasm <= ${targetRatio}`;
  record.meets_target = figures.dlkit.ms / figures.tfjs_wasm.ms <= targetRatio;
  return record;
}
