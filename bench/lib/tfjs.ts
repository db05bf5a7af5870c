import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { progress } from './log.js';

/**
 * TensorFlow.js 4.22 as the yardstick, in the same Node process: its plain-JavaScript 'cpu'
 * backend and its WebAssembly 'wasm' backend (never tfjs-node, which downloads a native binary).
 *
 * The wasm backend ships three binaries in its package's dist/ folder (plain, SIMD, threaded SIMD)
 * and picks one from feature tests; `loadTfjs` points it at that folder by file path and records
 * which binary it actually read, so a report can say whether SIMD and threads were in play.
 */
export type Tfjs = typeof import('@tensorflow/tfjs');
export type TfjsBackendName = 'cpu' | 'wasm';

export interface TfjsRuntime {
  tf: Tfjs;
  version: string;
  /** File name of the .wasm binary the wasm backend loaded. */
  wasmBinary: string;
  wasmSimd: boolean;
  wasmThreads: boolean;
  /** Threads the wasm backend computes with (1 without thread support). */
  wasmThreadCount: number;
}

let loaded: Promise<TfjsRuntime> | undefined;

/** Loads tfjs once per process and initialises both backends. */
export function loadTfjs(): Promise<TfjsRuntime> {
  loaded ??= initialise();
  return loaded;
}

/** The `tfjs` line of a suite's JSON output: which tfjs, and which wasm binary with SIMD and threads or not. */
export function tfjsRecord(runtime: TfjsRuntime): Record<string, unknown> {
  return {
    name: 'tfjs',
    tfjs_version: runtime.version,
    tfjs_wasm_binary: runtime.wasmBinary,
    tfjs_wasm_simd: runtime.wasmSimd,
    tfjs_wasm_threads: runtime.wasmThreads,
    tfjs_wasm_thread_count: runtime.wasmThreadCount,
  };
}

/** Makes `name` the active tfjs backend; throws if tfjs refuses (setBackend resolves false). */
export async function useTfjsBackend(runtime: TfjsRuntime, name: TfjsBackendName): Promise<void> {
  const ok = await runtime.tf.setBackend(name);
  if (!ok || runtime.tf.getBackend() !== name)
    throw new Error(`tfjs: setBackend('${name}') failed (active backend: ${runtime.tf.getBackend()})`);
}

async function initialise(): Promise<TfjsRuntime> {
  const wasmFilesRead = watchWasmReads();
  try {
    const tf = await import('@tensorflow/tfjs');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    wasm.setWasmPaths(`${dist}${path.sep}`);
    const runtime: TfjsRuntime = {
      tf,
      version: tf.version.tfjs,
      wasmBinary: '',
      wasmSimd: false,
      wasmThreads: false,
      wasmThreadCount: 1,
    };
    await useTfjsBackend(runtime, 'wasm');
    runtime.wasmSimd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    runtime.wasmThreads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
    runtime.wasmThreadCount = wasm.getThreadsCount();
    const binaries = wasmFilesRead().map((file) => path.basename(file));
    if (binaries.length !== 1)
      throw new Error(`tfjs wasm: expected to read one .wasm binary, read [${binaries.join(', ')}]`);
    runtime.wasmBinary = binaries[0];
    await useTfjsBackend(runtime, 'cpu');
    progress(
      `tfjs ${runtime.version}: wasm backend loaded ${runtime.wasmBinary} (SIMD ${runtime.wasmSimd}, threads ${runtime.wasmThreads}, ${runtime.wasmThreadCount} thread(s))`,
    );
    return runtime;
  } finally {
    wasmFilesRead.stop();
  }
}

/**
 * Records the .wasm files read through node:fs while tfjs initialises (Emscripten reads its binary
 * with fs in Node). Returns a function listing them, with `stop()` to restore fs.
 */
function watchWasmReads(): (() => string[]) & { stop(): void } {
  const read: string[] = [];
  const originals = { readFileSync: fs.readFileSync, readFile: fs.readFile };
  const note = (file: unknown): void => {
    if (String(file).endsWith('.wasm')) read.push(String(file));
  };
  const mutableFs = fs as unknown as Record<'readFileSync' | 'readFile', (...args: unknown[]) => unknown>;
  mutableFs.readFileSync = (...args: unknown[]) => {
    note(args[0]);
    return (originals.readFileSync as (...a: unknown[]) => unknown)(...args);
  };
  mutableFs.readFile = (...args: unknown[]) => {
    note(args[0]);
    return (originals.readFile as (...a: unknown[]) => unknown)(...args);
  };
  return Object.assign(() => [...read], {
    stop: () => Object.assign(fs, originals),
  });
}
