import { loadTfjs, tfjsRecord, useTfjsBackend, type TfjsBackendName, type TfjsRuntime } from '../lib/tfjs.js';
import { round, timePerUnit, timingFor, type Timing, type TimingOptions } from '../lib/timing.js';
import { progress } from '../lib/log.js';
import { figures, ratios } from '../lib/report.js';
import { irisProblem, kitIrisTrainer, tfjsIrisTrainer } from '../workloads/iris-mlp.js';
import {
  expectSameProduct,
  kitMatmul,
  matmulFlops,
  matmulInputs,
  naiveMatmul,
  tfjsMatmul,
} from '../workloads/matmul.js';
import { timeTestSuite } from '../workloads/test-suite.js';

/**
 * The foundation benchmarks (issue 3), each beside tfjs 4.22 on its cpu and wasm backends:
 *   iris-mlp-train-step   ms per training iteration of the Exercise 1 network (target: ratio ≤ 1 vs tfjs wasm)
 *   matmul-float64-N      GFLOP/s of the kit's CPU matmul at N = 128, 256, 512 (target: ≥ 3 at 512)
 *   test-suite            wall time of `npx vitest run` (skipped with --quick)
 * A ratio is the kit's time ÷ the other's time for the same work: ≤ 1 means the kit is as fast or faster.
 * Figures without a prefix, ratios and target verdicts use process CPU time; `wall_` figures are
 * the wall clock (see bench/lib/timing.ts for why).
 */
export const runByDefault = true;

const tfjsBackends: readonly TfjsBackendName[] = ['cpu', 'wasm'];
const irisTargetRatio = 1.0;
const matmulTargetGflops = 3;

export default async function* core(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const timing = timingFor(options.quick);
  const tfjs = await loadTfjs();
  yield tfjsRecord(tfjs);
  yield await irisTrainStep(tfjs, timing);
  for (const n of options.quick ? [128] : [128, 256, 512]) yield await matmulThroughput(tfjs, n, timing);
  if (!options.quick) {
    progress('test suite: npx vitest run (its output follows on stderr)');
    const { wallSeconds, exitCode } = await timeTestSuite();
    yield {
      name: 'test-suite',
      command: 'npx vitest run',
      wall_s: round(wallSeconds),
      passed: exitCode === 0,
      tfjs: 'no equivalent: this is the kit’s own test suite, so there is nothing for tfjs to run beside it',
    };
  }
}

/** One training iteration (batch, forward, loss, backward, SGD step) of the 4 → 10 → 3 Iris network. */
async function irisTrainStep(tfjs: TfjsRuntime, timing: TimingOptions): Promise<Record<string, unknown>> {
  const problem = irisProblem();
  const kit = kitIrisTrainer(problem);
  const checkIterations = 20;
  const kitLosses = kit.train(checkIterations);
  const record: Record<string, unknown> = {
    name: 'iris-mlp-train-step',
    network: '4-10-3 relu softmax, cross-entropy, SGD lr 0.1',
    batch: problem.batchSize,
  };
  const tfjsTimes: Partial<Record<TfjsBackendName, Timing>> = {};
  for (const backend of tfjsBackends) {
    await useTfjsBackend(tfjs, backend);
    const trainer = tfjsIrisTrainer(tfjs.tf, problem, kit.initialParameters);
    try {
      // Same start, same data: with one batch per epoch (batch 100 = training set) the order is
      // irrelevant, so the loss curves must agree to float32 precision before we time anything.
      const losses = trainer.train(checkIterations);
      const worst = Math.max(...losses.map((loss, i) => Math.abs(loss - kitLosses[i])));
      if (!(worst < 1e-4))
        throw new Error(
          `iris: tfjs ${backend} losses differ from the kit's by ${worst} over ${checkIterations} iterations: not the same computation`,
        );
      progress(`iris: tfjs ${backend} matches the kit's loss curve (max difference ${worst.toExponential(1)})`);
      tfjsTimes[backend] = timePerUnit((count) => trainer.train(count), timing);
    } finally {
      trainer.dispose();
    }
  }
  const kitTime = timePerUnit((count) => kit.train(count), timing);
  Object.assign(
    record,
    figures('', kitTime, (ms) => ms, 'ms_per_iteration'),
  );
  for (const backend of tfjsBackends)
    Object.assign(
      record,
      figures(`tfjs_${backend}_`, tfjsTimes[backend], (ms) => ms, 'ms_per_iteration'),
    );
  Object.assign(record, ratios(kitTime, { tfjs_cpu: tfjsTimes.cpu, tfjs_wasm: tfjsTimes.wasm }));
  const wasmRatio = kitTime.cpuMs / (tfjsTimes.wasm?.cpuMs ?? NaN);
  record.target = `ratio_vs_tfjs_wasm <= ${irisTargetRatio}`;
  record.meets_target = wasmRatio <= irisTargetRatio;
  progress(
    `iris: kit ${kitTime.cpuMs.toFixed(3)} ms/iteration (CPU), tfjs cpu ${tfjsTimes.cpu?.cpuMs.toFixed(3)}, wasm ${tfjsTimes.wasm?.cpuMs.toFixed(3)}`,
  );
  return record;
}

/** [n, n]·[n, n]: the kit's kernel and oracle in float64, tfjs in float32; checked before timed. */
async function matmulThroughput(tfjs: TfjsRuntime, n: number, timing: TimingOptions): Promise<Record<string, unknown>> {
  const [a, b] = matmulInputs(n);
  const expected = naiveMatmul(a, b).data;
  expectSameProduct(kitMatmul(a, b).data, expected, 1e-12, `matmul ${n}: kit kernel`);
  const gflops = (ms: number): number => matmulFlops(n) / (ms * 1e6);
  const kitTime = timePerUnit((count) => {
    for (let i = 0; i < count; i++) kitMatmul(a, b);
  }, timing);
  const naiveTime = timePerUnit((count) => {
    for (let i = 0; i < count; i++) naiveMatmul(a, b);
  }, timing);
  const tfjsTimes: Partial<Record<TfjsBackendName, Timing>> = {};
  for (const backend of tfjsBackends) {
    await useTfjsBackend(tfjs, backend);
    const product = tfjsMatmul(tfjs.tf, a, b);
    try {
      expectSameProduct(product.run(), expected, 1e-5, `matmul ${n}: tfjs ${backend}`);
      tfjsTimes[backend] = timePerUnit((count) => {
        for (let i = 0; i < count; i++) product.run();
      }, timing);
    } finally {
      product.dispose();
    }
  }
  const record: Record<string, unknown> = { name: `matmul-float64-${n}`, shape: `[${n}, ${n}]·[${n}, ${n}]` };
  Object.assign(record, figures('', kitTime, gflops, 'gflops'), figures('naive_', naiveTime, gflops, 'gflops'));
  for (const backend of tfjsBackends)
    Object.assign(record, figures(`tfjs_${backend}_float32_`, tfjsTimes[backend], gflops, 'gflops'));
  Object.assign(record, ratios(kitTime, { naive: naiveTime, tfjs_cpu: tfjsTimes.cpu, tfjs_wasm: tfjsTimes.wasm }));
  if (n === 512) {
    record.target = `gflops >= ${matmulTargetGflops}`;
    record.meets_target = gflops(kitTime.cpuMs) >= matmulTargetGflops;
  }
  progress(
    `matmul ${n} (CPU time): kit ${gflops(kitTime.cpuMs).toFixed(2)} GFLOP/s, naive ${gflops(naiveTime.cpuMs).toFixed(2)}, tfjs cpu ${gflops(tfjsTimes.cpu?.cpuMs ?? NaN).toFixed(2)}, wasm ${gflops(tfjsTimes.wasm?.cpuMs ?? NaN).toFixed(2)}`,
  );
  return record;
}
