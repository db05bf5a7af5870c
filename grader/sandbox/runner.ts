import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import { Rng } from '../../framework/random/rng.js';
import { CHANNEL_FD, CONFIG_VARIABLE, MAX_FRAME_BYTES, NONFINITE_KEY, type CaseDescription, type ErrorData, type RunnerConfig } from './protocol.js';
import { forgetCachedModules, refuseV8Flags } from './lockdown.js';
import { loadWebGpuAddon } from './webgpu-module.js';
import type { CaseFile } from '../case-api.js';

/**
 * The code that runs first in every case process (sandboxed student run and trusted reference run alike).
 * This module is evaluated BEFORE any case file or student module (they are loaded by the dynamic import
 * that `runCaseFiles` receives), so it captures the functions it relies on and freezes the shared
 * built-ins first: a submission that patches Math, Array.prototype or JSON then fails to load with a clear
 * error instead of bending the runner. None of this decides a score: the runner only reports what each
 * case returned, and the orchestrator, outside, compares.
 */

// Captured before any student code runs; later patches of these globals do not reach the runner.
const stringify = JSON.stringify;
const parse = JSON.parse;
const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const ownKeys = Reflect.ownKeys;
const isProxy = types.isProxy;
const objectPrototype = Object.prototype;
const numberIsFinite = Number.isFinite;
const StringOf = String;
const realExit = process.reallyExit ? process.reallyExit.bind(process) : process.exit.bind(process);
const environment = process.env[CONFIG_VARIABLE];
const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const textEncoder = new TextEncoder();
const utf8 = textEncoder.encode.bind(textEncoder);

declare global {
  // eslint-disable-next-line no-var
  namespace NodeJS {
    interface Process {
      reallyExit?(code?: number): never;
    }
  }
}

/** The built-ins a case's arithmetic and the runner's encoding depend on, frozen before student code loads. */
function freezeIntrinsics(): void {
  const typedArrayPrototype = getPrototypeOf(Float64Array.prototype) as object;
  for (const target of [
    Math, JSON, Reflect, Atomics,
    Object, Object.prototype, Array, Array.prototype, Function.prototype,
    Number, Number.prototype, String.prototype, Boolean.prototype, Symbol.prototype,
    typedArrayPrototype, getPrototypeOf(typedArrayPrototype) as object,
    Float64Array, Float64Array.prototype, Float32Array, Float32Array.prototype, Int32Array.prototype, Uint8Array.prototype,
    ArrayBuffer.prototype, Promise, Promise.prototype, Map.prototype, Set.prototype, WeakMap.prototype,
  ]) {
    Object.freeze(target);
  }
}

function send(frame: unknown): void {
  const body = utf8(stringify(frame));
  const length = body.length;
  if (length > MAX_FRAME_BYTES) throw new RangeError(`the result is ${length} bytes, over the ${MAX_FRAME_BYTES}-byte limit`);
  const bytes = new Uint8Array(4 + length);
  bytes[0] = (length >>> 24) & 0xff;
  bytes[1] = (length >>> 16) & 0xff;
  bytes[2] = (length >>> 8) & 0xff;
  bytes[3] = length & 0xff;
  bytes.set(body, 4);
  writeAll(bytes);
}

function writeAll(bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(CHANNEL_FD, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(sleepCell, 0, 0, 2); // the orchestrator is draining the pipe; try again shortly
    }
  }
}

/** A NotDataError for the report: the case returned something that is not plain data. */
class EncodeError extends Error {
  override name = 'NotDataError';
}

const MAX_VALUES = 2_000_000;

/**
 * The plain-data copy of a case's return value. Reads own data properties only (never getters, never
 * `toJSON` or `valueOf`), refuses Proxies, class instances, functions and cycles, and marks NaN and ±∞.
 */
function encode(value: unknown, path: string, budget: { values: number }, seen: Set<object>): unknown {
  if (--budget.values < 0) throw new EncodeError(`the result holds more than ${MAX_VALUES} values`);
  switch (typeof value) {
    case 'number':
      return numberIsFinite(value) ? value : { [NONFINITE_KEY]: StringOf(value) };
    case 'string':
      return value.length > 10_000 ? value.slice(0, 10_000) : value;
    case 'boolean':
      return value;
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      throw new EncodeError(`${path} is a ${typeof value}, not data`);
  }
  if (value === null) return null;
  if (isProxy(value)) throw new EncodeError(`${path} is a Proxy, not data`);
  if (seen.has(value)) throw new EncodeError(`${path} refers back to itself`);
  seen.add(value);
  try {
    if (isArray(value)) {
      const out: unknown[] = [];
      const length = (getOwnPropertyDescriptor(value, 'length') as PropertyDescriptor).value as number;
      for (let i = 0; i < length; i++) out.push(encode(dataProperty(value, i, path), `${path}[${i}]`, budget, seen));
      return out;
    }
    const prototype = getPrototypeOf(value);
    if (prototype !== objectPrototype && prototype !== null) throw new EncodeError(`${path} is an object with a class, not plain data`);
    const out: Record<string, unknown> = {};
    for (const key of ownKeys(value)) {
      if (typeof key !== 'string') throw new EncodeError(`${path} has a symbol key`);
      out[key] = encode(dataProperty(value, key, path), `${path}.${key}`, budget, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function dataProperty(holder: object, key: string | number, path: string): unknown {
  const descriptor = getOwnPropertyDescriptor(holder, key);
  if (descriptor === undefined) return undefined;
  if (!('value' in descriptor)) throw new EncodeError(`${path} has a getter for '${StringOf(key)}' instead of a value`);
  return descriptor.value;
}

function errorData(error: unknown): ErrorData {
  try {
    if (error instanceof Error || (error !== null && typeof error === 'object')) {
      const record = error as Record<string, unknown>;
      const name = typeof record.name === 'string' ? record.name : 'Error';
      const message = typeof record.message === 'string' ? record.message : '';
      const notImplemented =
        name === 'NotImplementedError' && typeof record.exercise === 'string' && typeof record.component === 'string' && typeof record.handout === 'string'
          ? { exercise: record.exercise, component: record.component, handout: record.handout }
          : undefined;
      return { name: name.slice(0, 200), message: message.slice(0, 2000), ...(notImplemented ? { notImplemented } : {}) };
    }
    return { name: 'Thrown', message: `the code threw ${typeof error === 'string' ? `the string '${error.slice(0, 200)}'` : `a ${typeof error}`}` };
  } catch {
    return { name: 'Thrown', message: 'the code threw something that could not even be described' };
  }
}

/** FNV-1a of the text: the per-case seed, so each case draws the same inputs in every process. */
function caseSeed(seed: number, id: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  const text = `${seed}:${id}`;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function readConfig(): RunnerConfig {
  const config = parse(environment ?? '{}') as Partial<RunnerConfig>;
  return {
    seed: typeof config.seed === 'number' ? config.seed : 0,
    skip: isArray(config.skip) ? config.skip : [],
    ...(typeof config.webgpuModule === 'string' ? { webgpuModule: config.webgpuModule } : {}),
  };
}

/**
 * Native addons: a WebGPU component's process may load them (Node's `--allow-addons`) so that the runner
 * can load Dawn; once it has, `process.dlopen` (which every other way to load an addon goes through) is
 * replaced for good, so no student module can load a native library of its own, e.g. one it wrote to /tmp.
 */
function refuseAddons(): void {
  Object.defineProperty(process, 'dlopen', {
    value: () => {
      throw new Error('native addons cannot be loaded in the grader');
    },
    writable: false,
    configurable: false,
  });
}

/**
 * Writes the `.wgsl` files a WebGPU bundle carries next to the bundle, at the paths its modules' rewritten
 * `import.meta.url` point to (sandbox/bundle.ts), so `loadWgslKernel` reads them as it does on disk.
 */
function writeCarriedFiles(files: Readonly<Record<string, string>>): void {
  for (const [relative, text] of Object.entries(files)) {
    const target = fileURLToPath(new URL(`./${relative}`, import.meta.url));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/**
 * Loads the case files (and through them the implementation under test), announces their cases, then
 * runs each one not in `skip`, in order, sending start → result or error for every case.
 */
export async function runCaseFiles(load: () => Promise<ReadonlyArray<{ default: CaseFile }>>, files: Readonly<Record<string, string>> = {}): Promise<void> {
  const config = readConfig();
  let current: string | undefined;
  const failCurrent = (error: unknown): void => {
    if (current !== undefined) send({ t: 'error', id: current, error: errorData(error) });
    realExit(70);
  };
  process.on('uncaughtException', failCurrent);
  process.on('unhandledRejection', failCurrent);
  try {
    // Before any student module: the addon loads with pristine built-ins, then addons are off for good.
    if (config.webgpuModule !== undefined) await loadWebGpuAddon(config.webgpuModule);
    refuseAddons();
    if (config.webgpuModule !== undefined) forgetCachedModules(dirname(config.webgpuModule));
    refuseV8Flags();
    writeCarriedFiles(files);
  } catch (error) {
    send({ t: 'load-error', error: errorData(error) });
    realExit(0);
    return;
  }
  freezeIntrinsics();

  let caseFiles: ReadonlyArray<{ default: CaseFile }>;
  try {
    caseFiles = await load();
  } catch (error) {
    send({ t: 'load-error', error: errorData(error) });
    realExit(0);
    return;
  }
  const cases = caseFiles.flatMap(({ default: file }) => file.cases.map((gradingCase) => ({ file, gradingCase })));
  const descriptions: CaseDescription[] = cases.map(({ file, gradingCase }) => ({
    id: gradingCase.id,
    exercise: file.exercise,
    component: file.component,
    visibility: file.visibility,
    title: gradingCase.title,
    weight: gradingCase.weight ?? 1,
    points: gradingCase.points ?? 0,
    compare: gradingCase.compare ?? { kind: 'close' },
  }));
  send({ t: 'hello', cases: descriptions });

  const skip = new Set(config.skip);
  for (const { file, gradingCase } of cases) {
    if (skip.has(gradingCase.id)) continue;
    current = gradingCase.id;
    send({ t: 'start', id: current });
    try {
      const value: unknown = await gradingCase.run(new Rng(caseSeed(config.seed, `${file.exercise}/${gradingCase.id}`)));
      send({ t: 'result', id: current, data: encode(value, 'the result', { values: MAX_VALUES }, new Set()) });
    } catch (error) {
      send({ t: 'error', id: current, error: errorData(error) });
    }
  }
  current = undefined;
  send({ t: 'done' });
  realExit(0);
}
