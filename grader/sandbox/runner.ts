import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../framework/random/rng.js';
import {
  BASE64_PREFIX,
  CHANNEL_FD,
  CONFIG_VARIABLE,
  MAX_FRAME_BYTES,
  type ErrorData,
  type RunnerConfig,
} from './protocol.js';
import { forgetCachedModules, refuseV8Flags } from './lockdown.js';
import { loadWebGpuAddon } from './webgpu-module.js';
import type { ComponentChecks } from '../../tests/harness/checks.js';
import { toWire } from '../../tests/harness/plain-data.js';
import { checkSeed } from '../../tests/harness/seeds.js';
import { checksToRun } from './checks-to-run.js';

/**
 * The code that runs first in every case process (sandboxed student run and trusted reference run alike).
 * This module is evaluated BEFORE any case file or student module (they are loaded by the dynamic import
 * that `runChecks` receives), so it captures the functions it relies on and freezes the shared
 * built-ins first: a submission that patches Math, Array.prototype or JSON then fails to load with a clear
 * error instead of bending the runner. None of this decides a score: the runner only reports what each
 * case returned, and the orchestrator, outside, compares.
 */

// Captured before any student code runs; later patches of these globals do not reach the runner.
const stringify = JSON.stringify;
const parse = JSON.parse;
const isArray = Array.isArray;
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

/**
 * The built-ins a check's arithmetic and the runner's encoding call, frozen before student code loads:
 * a submission that patches Math, JSON, Reflect, Object, Number or Promise then fails to load with a
 * clear error instead of bending them.
 *
 * Deliberately NOT frozen: Object.prototype, Array.prototype, the iterator prototypes and the typed
 * arrays. Freezing them invalidates V8's fast paths for every array element store, every typed-array
 * `map`/`slice`/`from` and every for…of (measured: Exercise 2's checks took 31 s instead of 5 s), and
 * nothing depends on them: the runner walks its lists with index loops and captured functions, a
 * check's `verify` runs in the orchestrator on the JSON that came back, and hidden checks run in a
 * process of their own whose only output is pass or fail, so a patched prototype can change only the
 * student's own results (docs/grader.md, threat table).
 */
function freezeIntrinsics(): void {
  for (const target of [
    Math,
    JSON,
    Reflect,
    Atomics,
    Object,
    Array,
    Function.prototype,
    Number,
    Number.prototype,
    String.prototype,
    Boolean.prototype,
    Symbol.prototype,
    Promise,
    Promise.prototype,
    Map.prototype,
    Set.prototype,
    WeakMap.prototype,
  ]) {
    Object.freeze(target);
  }
}

function send(frame: unknown): void {
  const body = utf8(stringify(frame));
  const length = body.length;
  if (length > MAX_FRAME_BYTES)
    throw new RangeError(`the result is ${length} bytes, over the ${MAX_FRAME_BYTES}-byte limit`);
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

function errorData(error: unknown): ErrorData {
  try {
    if (error instanceof Error || (error !== null && typeof error === 'object')) {
      const record = error as Record<string, unknown>;
      const name = typeof record.name === 'string' ? record.name : 'Error';
      const message = typeof record.message === 'string' ? record.message : '';
      const notImplemented =
        name === 'NotImplementedError' &&
        typeof record.exercise === 'string' &&
        typeof record.component === 'string' &&
        typeof record.handout === 'string'
          ? { exercise: record.exercise, component: record.component, handout: record.handout }
          : undefined;
      return {
        name: name.slice(0, 200),
        message: message.slice(0, 2000),
        ...(notImplemented ? { notImplemented } : {}),
      };
    }
    return {
      name: 'Thrown',
      message: `the code threw ${typeof error === 'string' ? `the string '${error.slice(0, 200)}'` : `a ${typeof error}`}`,
    };
  } catch {
    return { name: 'Thrown', message: 'the code threw something that could not even be described' };
  }
}

function readConfig(): RunnerConfig {
  const config = parse(environment ?? '{}') as Partial<RunnerConfig>;
  return {
    seed: typeof config.seed === 'number' ? config.seed : 0,
    visibility: config.visibility === 'hidden' ? 'hidden' : 'public',
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
 * Writes the files a bundle carries (the data sets; a WebGPU bundle's `.wgsl` files) next to the bundle,
 * at the paths its modules' rewritten `import.meta.url` point to (sandbox/bundle.ts), so `loadIris` and
 * `loadWgslKernel` read them as they do on disk.
 */
function writeCarriedFiles(files: Readonly<Record<string, string>>): void {
  for (const [relative, content] of Object.entries(files)) {
    const target = fileURLToPath(new URL(`./${relative}`, import.meta.url));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(
      target,
      content.startsWith(BASE64_PREFIX) ? Buffer.from(content.slice(BASE64_PREFIX.length), 'base64') : content,
    );
  }
}

/**
 * Loads the check files (and through them the implementation under test), then runs, in order, the
 * checks this process is for, sending start → result or error for each (keyed `Component/check-id`):
 * a public process runs every check of the public test files under the public seed, exactly as the
 * student's `npm test` does; a hidden process runs the public checks marked `hiddenRerun` and every
 * check of the hidden files, under the run's secret seed. Checks in `skip` (settled by an earlier
 * process) are left out.
 */
export async function runChecks(
  load: () => Promise<ReadonlyArray<{ default: ComponentChecks }>>,
  files: Readonly<Record<string, string>> = {},
): Promise<void> {
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

  let checkFiles: ReadonlyArray<{ default: ComponentChecks }>;
  try {
    checkFiles = await load();
  } catch (error) {
    send({ t: 'load-error', error: errorData(error) });
    realExit(0);
    return;
  }
  const planned = checksToRun(
    checkFiles.map((module) => module.default),
    config.visibility,
  );
  send({ t: 'hello', checks: planned.map(({ key }) => key) });

  const skip = new Set(config.skip);
  // Index loops, not for…of: nothing here goes through an iterator the student's code could reach.
  for (let index = 0; index < planned.length; index++) {
    const { key, seedKey, check } = planned[index];
    if (skip.has(key)) continue;
    current = key;
    send({ t: 'start', id: key });
    try {
      const value: unknown = await check.run(new Rng(checkSeed(config.seed, seedKey)));
      send({ t: 'result', id: key, data: toWire(value) });
    } catch (error) {
      send({ t: 'error', id: key, error: errorData(error) });
    }
  }
  current = undefined;
  send({ t: 'done' });
  realExit(0);
}
