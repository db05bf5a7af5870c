import { DeviceError, StateError, ValueError } from '../errors.js';
import type { Device, Tensor } from '../tensor/tensor.js';
import {
  isKernelName,
  kernelDeclarations,
  type KernelAttributes,
  type KernelFunction,
  type KernelInputs,
  type KernelName,
} from './kernels.js';

/**
 * The seam between layers and arithmetic. A layer calls an operation by kernel name; the device of
 * its input tensors picks the implementation registered for (kernel, backend). The CPU kernels are
 * the readable oracle; the WebGPU backend registers float32 kernels under the same names, so the
 * layer code does not change when its tensors move to the GPU. Names, inputs and attributes are
 * declared once, in kernels.ts, and type every call here.
 */

/** What the registry stores: a kernel with its types erased (registerKernel is where they are checked). */
type StoredKernel = (inputs: readonly Tensor[], attributes: object) => Tensor;

/** A (kernel, backend) slot: what is registered, where from, and how often it ran (one lookup per dispatch). */
interface Slot {
  kernel: StoredKernel | undefined;
  registeredAt: string;
  dispatches: number;
}

const slots = new Map<string, Slot>();
const noAttributes = Object.freeze({});

const keyOf = (name: string, backend: Device): string => `${name}@${backend}`;

export interface RegisterOptions {
  /** Replace an existing registration on purpose (without it, registering a name twice is an error). */
  readonly replace?: boolean;
}

/**
 * Registers the implementation of `name` on `backend`. A second registration of the same pair is a
 * StateError naming both places, since a silent replacement makes every later test run on the wrong
 * kernel; pass `{ replace: true }` to replace on purpose, or swap kernels for one call with `withKernels`.
 */
export function registerKernel<N extends KernelName>(
  name: N,
  backend: Device,
  kernel: KernelFunction<N>,
  options: RegisterOptions = {},
): void {
  const key = keyOf(declared(name), backend);
  const slot = slots.get(key);
  const here = callerLocation();
  if (slot?.kernel && !options.replace) {
    throw new StateError(
      `Kernel '${name}' is already registered for '${backend}' (at ${slot.registeredAt}); ` +
        `registering it again (at ${here}) would silently replace it. ` +
        `Pass { replace: true } to replace it on purpose, or use withKernels(…) to run other kernels for one call.`,
    );
  }
  slots.set(key, { kernel: kernel as StoredKernel, registeredAt: here, dispatches: slot?.dispatches ?? 0 });
}

/** A table of implementations, one per kernel name (any subset of the declared kernels). */
export type KernelTable = { readonly [N in KernelName]?: KernelFunction<N> };

/** Registers every kernel of `table` on `backend` (each as `registerKernel` would). */
export function registerKernels(backend: Device, table: KernelTable, options: RegisterOptions = {}): void {
  for (const [name, kernel] of entriesOf(table)) registerKernel(name, backend, kernel, options);
}

export function hasKernel(name: KernelName, backend: Device): boolean {
  return slots.get(keyOf(name, backend))?.kernel !== undefined;
}

/** The (kernel, backend) pairs registered so far, for diagnostics: 'relu@cpu'. */
export function registeredKernels(): string[] {
  return [...slots]
    .filter(([, slot]) => slot.kernel)
    .map(([key]) => key)
    .sort();
}

/** The device all inputs share; mixing devices is an error that says how to fix it. */
export function deviceOf(inputs: readonly Tensor[], name: string): Device {
  const device = inputs[0]?.device ?? 'cpu';
  for (const input of inputs) {
    if (input.device !== device) {
      throw new DeviceError(
        `${name}: inputs live on different devices ('${device}' and '${input.device}'); move them with \`await tensor.to('${device}')\``,
      );
    }
  }
  return device;
}

/** The attributes argument of runKernel: optional where the kernel has none (or only optional ones). */
type AttributesArgument<N extends KernelName> =
  Readonly<Record<string, never>> extends KernelAttributes<N>
    ? [attributes?: KernelAttributes<N>]
    : [attributes: KernelAttributes<N>];

/** Runs kernel `name` on the device of its inputs (the innermost `withKernels` scope first). */
export function runKernel<N extends KernelName>(
  name: N,
  inputs: KernelInputs<N>,
  ...[attributes]: AttributesArgument<N>
): Tensor {
  const device = deviceOf(inputs, name);
  const key = keyOf(name, device);
  let slot = slots.get(key);
  let kernel = slot?.kernel;
  if (scopes.length > 0) {
    const scoped = scopedKernel(name, device);
    if (scoped) {
      kernel = scoped;
      slot ??= placeholderSlot(key);
    }
  }
  if (!kernel || !slot) throw missingKernel(name, device);
  const inputNames = kernelDeclarations[name].inputs;
  if (inputs.length !== inputNames.length) {
    throw new ValueError(
      `Kernel '${name}' takes ${inputNames.length} tensors [${inputNames.join(', ')}], got ${inputs.length}`,
    );
  }
  slot.dispatches++;
  return kernel(inputs, attributes ?? noAttributes);
}

function missingKernel(name: KernelName, device: Device): DeviceError {
  if (!isKernelName(name))
    return new DeviceError(`No kernel '${name}' exists: the kernels are declared in framework/backend/kernels.ts`);
  const elsewhere = kernelDeclarations[name].implementedBy.filter(
    (implementation) => implementation !== 'cpuFast' && implementation !== device,
  );
  const where = elsewhere.map((backend) => `'${backend}'`).join(' and ');
  const hint = kernelDeclarations[name].implementedBy.includes(device)
    ? `import the module that registers it (registered for '${device}': ${registeredFor(device).join(', ') || 'none'})`
    : `the kit implements it on ${where} only: move the inputs there with \`await tensor.to('${elsewhere[0]}')\``;
  return new DeviceError(`No kernel '${name}' is registered for the '${device}' backend: ${hint}`);
}

function registeredFor(device: Device): string[] {
  return registeredKernels()
    .filter((key) => key.endsWith(`@${device}`))
    .map((key) => key.slice(0, -device.length - 1));
}

/** How often each (kernel, backend) ran since the last reset, scoped kernels included: lets a test prove which backend did the work. */
export function dispatchCount(name: KernelName, backend: Device): number {
  return slots.get(keyOf(name, backend))?.dispatches ?? 0;
}

export function resetDispatchCounts(): void {
  for (const slot of slots.values()) slot.dispatches = 0;
}

/**
 * Kernels for one backend that a caller runs instead of the registered ones for the length of one
 * call (`withKernels`), e.g. the im2col fast path of Conv's CPU kernels. Nothing is registered, so
 * leaving the call, normally or by an exception, restores the registered kernels.
 */
export interface KernelSet {
  /** Names the set in errors: 'conv im2col fast path'. */
  readonly label: string;
  readonly backend: Device;
  readonly kernels: ReadonlyMap<KernelName, StoredKernel>;
}

export function defineKernelSet(label: string, backend: Device, table: KernelTable): KernelSet {
  return Object.freeze({
    label,
    backend,
    kernels: new Map(entriesOf(table).map(([name, kernel]) => [name, kernel as StoredKernel])),
  });
}

const scopes: KernelSet[] = [];

/**
 * Runs `body` with the kernels of `set` in place of the registered ones on `set.backend`, and returns
 * its result. Scopes nest (the innermost wins). `body` must be synchronous: a scope that spanned an
 * `await` would also apply to whatever else ran meanwhile, so a Promise is refused.
 *
 *   const loss = withKernels(fastConvKernels, () => network.fit({ data, iterations: 100, batchSize: 32 }));
 */
export function withKernels<T>(set: KernelSet, body: () => T): T extends PromiseLike<unknown> ? never : T;
export function withKernels<T>(set: KernelSet, body: () => T): T {
  scopes.push(set);
  let result: T;
  try {
    result = body();
  } finally {
    scopes.pop();
  }
  if (typeof (result as { then?: unknown } | undefined)?.then === 'function') {
    throw new StateError(
      `withKernels(${set.label}): the body returned a Promise; a kernel scope covers synchronous work only ` +
        '(await outside the scope, or run the awaited work in its own withKernels call)',
    );
  }
  return result;
}

/** The labels of the kernel sets in force, outermost first (for diagnostics). */
export function activeKernelSets(): string[] {
  return scopes.map((set) => set.label);
}

function scopedKernel(name: KernelName, device: Device): StoredKernel | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const set = scopes[i];
    if (set.backend === device) {
      const kernel = set.kernels.get(name);
      if (kernel) return kernel;
    }
  }
  return undefined;
}

/** A slot that only counts dispatches, for a kernel that runs from a scope but was never registered. */
function placeholderSlot(key: string): Slot {
  const slot: Slot = { kernel: undefined, registeredAt: '', dispatches: 0 };
  slots.set(key, slot);
  return slot;
}

function entriesOf(table: KernelTable): [KernelName, KernelFunction<KernelName>][] {
  return Object.entries(table).map(([name, kernel]) => [declared(name), kernel as KernelFunction<KernelName>]);
}

/** A name from untyped code (JavaScript, a student's stub) checked against the declarations. */
function declared(name: string): KernelName {
  if (!isKernelName(name)) {
    throw new ValueError(
      `'${name}' is not a declared kernel: declare its inputs and attributes in framework/backend/kernels.ts first`,
    );
  }
  return name;
}

/**
 * Where the caller of registerKernel is, from the stack: 'solutions/activations/relu.ts:37'. Only
 * for the message of a duplicate registration, so anything unexpected (a sandbox without `process`,
 * a bundle's own stack format) gives a placeholder rather than an error.
 */
function callerLocation(): string {
  try {
    const frames = (new Error().stack ?? '').split('\n').slice(1);
    // Past this module's own frames (by file, or by function name where a bundle inlined the module).
    const frame =
      frames.find((line) => !/kernel-registry\.[jt]s|\b(callerLocation|registerKernels?)\b/.test(line)) ?? '';
    const location = /(?:\(|at |@)(?:file:\/\/)?([^()\s]+:\d+):\d+\)?\s*$/.exec(frame.trim())?.[1];
    if (!location) return 'an unknown place';
    const cwd = typeof process === 'undefined' ? undefined : process.cwd();
    return cwd && location.startsWith(`${cwd}/`) ? location.slice(cwd.length + 1) : location;
  } catch {
    return 'an unknown place';
  }
}
