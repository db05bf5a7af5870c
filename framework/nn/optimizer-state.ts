import { ValueError } from '../errors.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { allocate, Tensor, type DType } from '../tensor/tensor.js';
import type { Parameter } from './parameter.js';

/**
 * The checkpoint format of an optimizer (BaseOptimizer.state / loadState): plain numbers, strings
 * and arrays only, so it survives `JSON.stringify` / `JSON.parse` exactly (JSON prints every double
 * so that it reads back to the same bits).
 */
export interface OptimizerState {
  readonly version: 1;
  /** The optimizer's `name` ('Sgd', 'Adam', …): a state loads only into an optimizer of that name. */
  readonly name: string;
  /** Updates taken so far (BaseOptimizer's step count; the schedule continues from it). */
  readonly step: number;
  /** One entry per parameter, in the order the optimizer first stepped them. */
  readonly slots: readonly ParameterSlots[];
}

/** The state of one parameter: its name and shape (to check the match) and its slot values. */
export interface ParameterSlots {
  readonly parameter: string;
  readonly shape: readonly number[];
  /** Each state value by key ('velocity', 'firstMoment', 'step', …): a number or a tensor. */
  readonly values: Readonly<Record<string, number | SavedTensor>>;
}

export interface SavedTensor {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** What BaseOptimizer keeps per parameter. */
export type SlotMap = Map<string, Tensor | number>;

/** A parameter's state as plain data. */
export function encodeSlots(parameter: Parameter, state: SlotMap, where: string): ParameterSlots {
  const values: Record<string, number | SavedTensor> = {};
  for (const [key, value] of state) {
    if (typeof value === 'number') values[key] = value;
    else if (value.device !== 'cpu')
      throw new ValueError(
        `${where}.state: '${parameter.name}' holds '${key}' on '${value.device}'; move the parameters to the CPU before saving`,
      );
    else values[key] = { dtype: value.dtype, shape: [...value.shape], data: Array.from(value.data) };
  }
  return { parameter: parameter.name, shape: [...parameter.value.shape], values };
}

/** Plain data back into the map BaseOptimizer keeps (new tensors; nothing is shared with the saved state). */
export function decodeSlots(slots: ParameterSlots): SlotMap {
  const state: SlotMap = new Map();
  for (const [key, value] of Object.entries(slots.values)) {
    if (typeof value === 'number') state.set(key, value);
    else {
      const data = allocate(value.dtype, value.data.length);
      data.set(value.data);
      state.set(key, new Tensor(value.shape, data));
    }
  }
  return state;
}

/** Throws unless the saved slots belong to exactly these parameters (count, names, shapes, in order). */
export function matchSlots(slots: readonly ParameterSlots[], parameters: readonly Parameter[], where: string): void {
  const describe = (entries: readonly { name: string; shape: readonly number[] }[]): string =>
    entries.map((e) => `${e.name} ${formatShape(e.shape)}`).join(', ');
  const saved = slots.map((s) => ({ name: s.parameter, shape: s.shape }));
  const given = parameters.map((p) => ({ name: p.name, shape: p.value.shape }));
  const same =
    saved.length === given.length &&
    saved.every((s, i) => s.name === given[i].name && sameShape(s.shape, given[i].shape));
  if (!same) {
    throw new ValueError(
      `${where}: the saved state is for ${saved.length} parameters (${describe(saved)}) but this optimizer steps ${given.length} (${describe(given)}); ` +
        'load a state saved from the same network, with its parameters in the same order',
    );
  }
}

/** Checks a loaded value's format (a JSON.parse result is untyped) and that it is `name`'s. */
export function readOptimizerState(value: unknown, name: string): OptimizerState {
  const where = `${name}.loadState`;
  const bad = (what: string): never => {
    throw new ValueError(
      `${where}: not an optimizer state (${what}); pass what state() returned, or JSON.parse of its JSON`,
    );
  };
  if (value === null || typeof value !== 'object') bad(`got ${value === null ? 'null' : typeof value}`);
  const state = value as Partial<Record<keyof OptimizerState, unknown>>;
  if (state.version !== 1)
    throw new ValueError(
      `${where}: unsupported optimizer state version ${String(state.version)} (this kit reads version 1)`,
    );
  if (state.name !== name)
    throw new ValueError(
      `${where}: this state was saved by ${String(state.name)}, not by ${name}; load it into a ${String(state.name)}`,
    );
  if (!Number.isInteger(state.step) || (state.step as number) < 0) bad(`step is ${String(state.step)}`);
  if (!Array.isArray(state.slots)) bad('slots is not an array');
  (state.slots as unknown[]).forEach((slot, i) => {
    checkSlot(slot, i, bad);
  });
  return state as OptimizerState;
}

function checkSlot(slot: unknown, index: number, bad: (what: string) => never): void {
  const entry = slot as Partial<ParameterSlots> | null;
  if (
    !entry ||
    typeof entry.parameter !== 'string' ||
    !isShape(entry.shape) ||
    !entry.values ||
    typeof entry.values !== 'object'
  )
    bad(`slot ${index} is malformed`);
  for (const [key, value] of Object.entries(entry.values)) {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) bad(`slot ${index} '${key}' is ${value}`);
      continue;
    }
    const saved = value as Partial<SavedTensor> | null;
    const size = isShape(saved?.shape) ? saved.shape.reduce((a, b) => a * b, 1) : -1;
    if (
      !saved ||
      (saved.dtype !== 'float64' && saved.dtype !== 'float32') ||
      !Array.isArray(saved.data) ||
      saved.data.length !== size ||
      !saved.data.every(Number.isFinite)
    ) {
      bad(`slot ${index} '${key}' is not a finite tensor { dtype, shape, data }`);
    }
  }
}

function isShape(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((d) => Number.isInteger(d) && d >= 0);
}
