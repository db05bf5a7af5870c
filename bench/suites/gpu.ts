/**
 * `npm run bench -- gpu`: the Exercise 5 WebGPU kernels against the CPU kernels and against
 * @tensorflow/tfjs-backend-webgpu on the same adapter (in CI: Mesa lavapipe, a software Vulkan
 * driver that runs "GPU" work on the CPU cores; its figures say nothing about a real GPU).
 *
 * Measured: matmul naive and tiled (256–1024, GFLOP/s = 2·m·k·n / time), conv2d forward, row
 * softmax. Each GPU time is the wall clock of dispatch + completion (a 4-byte read-back), median of
 * the repeats, after a warm-up run that compiles the pipeline. Target: the tiled matmul beats the
 * naive one. Runs only when named (it needs a WebGPU adapter).
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { matmul, Rng, runKernel, type Tensor } from '../../framework/index.js';
import {
  describeAdapter,
  destroyWebGpu,
  initWebGpu,
  readStorage,
  releaseTensor,
  storageOf,
  webgpuInstance,
} from '../../framework/webgpu/index.js';
import '../../solutions/kernels/index.js';
import '../../solutions/activations/softmax.js';

export const runByDefault = false;

type SuiteRecord = Record<string, unknown>;

const log = (message: string): void => void process.stderr.write(`[gpu] ${message}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall-clock ms of `run` (which resolves when the work is done): one warm-up, then the median of `repeats`. */
async function time(run: () => Promise<void>, repeats: number): Promise<{ ms: number; cpu_ms: number }> {
  await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ms: round(median(wall)), cpu_ms: round(median(cpu)) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Waits for the GPU: reading one element back completes every submitted dispatch before it. */
async function settle(t: Tensor): Promise<void> {
  await readStorage(storageOf(t, 'bench'), 1);
}

/** Mesa keeps compiled shaders on disk; a cold cache makes first dispatches slower (excluded by the warm-up). */
function mesaShaderCache(): string {
  const dir =
    process.env.MESA_SHADER_CACHE_DIR ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mesa_shader_cache');
  return existsSync(dir) && readdirSync(dir).length > 0 ? 'warm' : 'cold';
}

interface Tfjs {
  tf: typeof import('@tensorflow/tfjs');
  adapter: string;
}

/** tfjs-backend-webgpu on the kit's own GPU instance (so the same adapter), or why not. */
async function loadTfjsWebgpu(): Promise<Tfjs | string> {
  try {
    const holder = globalThis as unknown as { navigator?: Record<string, unknown> };
    holder.navigator ??= {};
    Object.defineProperty(holder.navigator, 'gpu', { value: webgpuInstance(), configurable: true });
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-webgpu');
    const ok = await tf.setBackend('webgpu');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'webgpu') return `tf.setBackend('webgpu') returned ${ok}`;
    const backend = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } };
    return { tf, adapter: `${backend.adapterInfo?.vendor ?? '?'} ${backend.adapterInfo?.architecture ?? ''}`.trim() };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function tfjsTime(
  make: () => import('@tensorflow/tfjs').Tensor,
  repeats: number,
): Promise<{ ms: number; cpu_ms: number }> {
  return time(async () => {
    const out = make();
    await out.data();
    out.dispose();
  }, repeats);
}

export default async function* gpu(options: { quick: boolean }): AsyncGenerator<SuiteRecord> {
  const cache = mesaShaderCache();
  const context = await initWebGpu();
  const adapter = describeAdapter(context.adapter);
  log(`adapter: ${adapter}; Mesa shader cache ${cache}`);
  yield {
    name: 'adapter',
    adapter,
    vendor: context.adapter.vendor,
    architecture: context.adapter.architecture,
    fallback: context.adapter.isFallbackAdapter,
    mesa_shader_cache_at_start: cache,
  };
  const tfjs = await loadTfjsWebgpu();
  if (typeof tfjs === 'string') log(`tfjs-backend-webgpu unavailable: ${tfjs}`);
  const rng = new Rng(2026);
  const repeats = options.quick ? 1 : 3;

  for (const n of options.quick ? [128, 256] : [256, 512, 1024]) {
    const flops = 2 * n ** 3;
    const aCpu = rng.uniformTensor([n, n], -1, 1);
    const bCpu = rng.uniformTensor([n, n], -1, 1);
    const a = await aCpu.to('webgpu');
    const b = await bCpu.to('webgpu');
    // Correct before fast: the tiled result against the CPU matmul.
    const check = await runKernel('matmulTiled', [a, b]).to('cpu');
    const reference = matmul(aCpu, bCpu);
    let worst = 0;
    for (let i = 0; i < reference.size; i++) worst = Math.max(worst, Math.abs(check.data[i] - reference.data[i]));
    const results: Record<string, number> = {};
    for (const kernel of ['matmulNaive', 'matmulTiled'] as const) {
      log(`matmul ${kernel} ${n}`);
      const { ms, cpu_ms } = await time(async () => {
        const c = runKernel(kernel, [a, b]);
        await settle(c);
        releaseTensor(c);
      }, repeats);
      results[kernel] = ms;
      yield {
        name: `matmul-${kernel === 'matmulNaive' ? 'naive' : 'tiled'}-${n}`,
        implementation: `kit webgpu ${kernel}`,
        size: n,
        ms,
        process_cpu_ms: cpu_ms,
        gflops: round(flops / ms / 1e6),
        max_abs_error_vs_cpu: kernel === 'matmulTiled' ? worst : undefined,
      };
    }
    yield {
      name: `matmul-tiled-vs-naive-${n}`,
      speedup: round(results.matmulNaive / results.matmulTiled),
      target: 'tiled faster than naive',
      meets_target: results.matmulTiled < results.matmulNaive,
    };
    if (n <= 512 || !options.quick) {
      log(`matmul cpu ${n}`);
      const cpu = await time(async () => void matmul(aCpu, bCpu), n >= 1024 ? 1 : repeats);
      yield {
        name: `matmul-cpu-${n}`,
        implementation: 'kit cpu (framework/ops/cpu/matmul.ts matmulBlocked, float64)',
        size: n,
        ms: cpu.ms,
        gflops: round(flops / cpu.ms / 1e6),
      };
    }
    if (typeof tfjs !== 'string') {
      log(`matmul tfjs-webgpu ${n}`);
      const ta = tfjs.tf.tensor2d(Float32Array.from(aCpu.data), [n, n]);
      const tb = tfjs.tf.tensor2d(Float32Array.from(bCpu.data), [n, n]);
      const t = await tfjsTime(() => tfjs.tf.matMul(ta, tb), repeats);
      ta.dispose();
      tb.dispose();
      yield {
        name: `matmul-tfjs-webgpu-${n}`,
        implementation: 'tfjs-backend-webgpu 4.22.0',
        size: n,
        ms: t.ms,
        gflops: round(flops / t.ms / 1e6),
        ratio_vs_tfjs_webgpu: round(results.matmulTiled / t.ms),
      };
    }
    releaseTensor(a);
    releaseTensor(b);
  }

  // conv2d: a Digits-sized layer scaled up, 'same' 3×3.
  {
    const [batch, channels, size, outChannels, k] = options.quick ? [4, 8, 16, 8, 3] : [32, 16, 32, 32, 3];
    const flops = 2 * batch * outChannels * size * size * channels * k * k;
    const x = rng.uniformTensor([batch, channels, size, size], -1, 1);
    const w = rng.uniformTensor([outChannels, channels, k, k], -1, 1);
    const bias = rng.uniformTensor([outChannels], -1, 1);
    const attributes = { stride: [1, 1], padBefore: [1, 1], outShape: [size, size] } as const;
    const [gx, gw, gb] = [await x.to('webgpu'), await w.to('webgpu'), await bias.to('webgpu')];
    const name = `conv2d-${batch}x${channels}x${size}x${size}-k${k}-o${outChannels}`;
    log(name);
    const onGpu = await time(async () => {
      const y = runKernel('conv2d', [gx, gw, gb], attributes);
      await settle(y);
      releaseTensor(y);
    }, repeats);
    yield {
      name: `${name}-webgpu`,
      implementation: 'kit webgpu conv2d',
      ms: onGpu.ms,
      process_cpu_ms: onGpu.cpu_ms,
      gflops: round(flops / onGpu.ms / 1e6),
    };
    const onCpu = await time(async () => void conv2dLoops(x, w, bias, size), 1);
    yield {
      name: `${name}-cpu`,
      implementation: 'plain loops, float64 (the oracle)',
      ms: onCpu.ms,
      gflops: round(flops / onCpu.ms / 1e6),
    };
    if (typeof tfjs !== 'string') {
      // tfjs wants NHWC and [kh, kw, in, out]; the arithmetic is the same.
      const tx = tfjs.tf.randomUniform([batch, size, size, channels]) as import('@tensorflow/tfjs').Tensor4D;
      const tw = tfjs.tf.randomUniform([k, k, channels, outChannels]) as import('@tensorflow/tfjs').Tensor4D;
      const t = await tfjsTime(() => tfjs.tf.conv2d(tx, tw, 1, 'same'), repeats);
      yield {
        name: `${name}-tfjs-webgpu`,
        implementation: 'tfjs-backend-webgpu 4.22.0 (NHWC)',
        ms: t.ms,
        gflops: round(flops / t.ms / 1e6),
        ratio_vs_tfjs_webgpu: round(onGpu.ms / t.ms),
      };
      tx.dispose();
      tw.dispose();
    }
  }

  // softmax over rows of 1000 classes.
  {
    const [rows, classes] = options.quick ? [64, 1000] : [1024, 1000];
    const x = rng.uniformTensor([rows, classes], -5, 5);
    const gx = await x.to('webgpu');
    const name = `softmax-${rows}x${classes}`;
    log(name);
    const onGpu = await time(async () => {
      const y = runKernel('softmax', [gx]);
      await settle(y);
      releaseTensor(y);
    }, repeats);
    yield {
      name: `${name}-webgpu`,
      implementation: 'kit webgpu softmax (workgroup reductions)',
      ms: onGpu.ms,
      process_cpu_ms: onGpu.cpu_ms,
    };
    const onCpu = await time(async () => void runKernel('softmax', [x]), repeats);
    yield { name: `${name}-cpu`, implementation: 'kit cpu softmax (float64)', ms: onCpu.ms };
    if (typeof tfjs !== 'string') {
      const tx = tfjs.tf.tensor2d(Float32Array.from(x.data), [rows, classes]);
      const t = await tfjsTime(() => tfjs.tf.softmax(tx), repeats);
      yield {
        name: `${name}-tfjs-webgpu`,
        implementation: 'tfjs-backend-webgpu 4.22.0',
        ms: t.ms,
        ratio_vs_tfjs_webgpu: round(onGpu.ms / t.ms),
      };
      tx.dispose();
    }
  }
  if (typeof tfjs !== 'string') tfjs.tf.engine().reset();
  await destroyWebGpu();
}

/** The CPU reference: y[b, o, i, j] = bias[o] + Σ x·w over the 3×3 'same' window, plain loops. */
function conv2dLoops(x: Tensor, w: Tensor, bias: Tensor, size: number): Float64Array {
  const [batch, channels] = x.shape;
  const [outChannels, , k] = w.shape;
  const X = x.data;
  const W = w.data;
  const y = new Float64Array(batch * outChannels * size * size);
  const pad = (k - 1) >> 1;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outChannels; o++) {
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          let total = bias.data[o];
          for (let c = 0; c < channels; c++) {
            for (let m = 0; m < k; m++) {
              const r = i + m - pad;
              if (r < 0 || r >= size) continue;
              for (let n = 0; n < k; n++) {
                const s = j + n - pad;
                if (s >= 0 && s < size)
                  total += X[((b * channels + c) * size + r) * size + s] * W[((o * channels + c) * k + m) * k + n];
              }
            }
          }
          y[((b * outChannels + o) * size + i) * size + j] = total;
        }
      }
    }
  }
  return y;
}
