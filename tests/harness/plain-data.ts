import { types } from 'node:util';

/**
 * What crosses from `run` to `verify`: plain data only. The grader's sandbox sends a check's result to
 * the orchestrator as JSON, and the student's `npm test` sends it through the same encoding, so a check
 * that passes on one side passes on the other (a Tensor returned by mistake fails on both).
 *
 * The encoder reads own data properties only (never getters, `toJSON` or `valueOf`), refuses Proxies,
 * class instances, functions and cycles, and marks NaN and ±∞ (JSON has none). It captures the
 * built-ins it uses when this module loads, before any student module, so a patched JSON or Array
 * does not bend it.
 */
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

/** Marks a non-finite number on the wire: `{ "$nonfinite": "NaN" }`. */
export const NONFINITE_KEY = '$nonfinite';

/** The most values one result may hold. */
export const MAX_VALUES = 2_000_000;

/** Thrown when a check's result (or what the student's code handed back) is not plain data. */
export class NotDataError extends Error {
  override name = 'NotDataError';
}

/** The wire form of `value` (still a JS value; `JSON.stringify` it to send). */
export function toWire(value: unknown): unknown {
  return encode(value, 'the result', { values: MAX_VALUES }, new Set());
}

/** What `verify` receives: `value` after the trip through the wire, exactly as in the grader. */
export function throughWire(value: unknown): unknown {
  return parse(stringify(toWire(value)), reviveNonFinite);
}

/** Turns the wire form back into numbers: `{ $nonfinite: 'NaN' }` → NaN (a JSON.parse reviver). */
export function reviveNonFinite(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === NONFINITE_KEY) {
      const text = (value as Record<string, unknown>)[NONFINITE_KEY];
      if (text === 'NaN') return NaN;
      if (text === 'Infinity') return Infinity;
      if (text === '-Infinity') return -Infinity;
    }
  }
  return value;
}

function encode(value: unknown, path: string, budget: { values: number }, seen: Set<object>): unknown {
  if (--budget.values < 0) throw new NotDataError(`the result holds more than ${MAX_VALUES} values`);
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
      throw new NotDataError(`${path} is a ${typeof value}, not data`);
  }
  if (value === null) return null;
  if (isProxy(value)) throw new NotDataError(`${path} is a Proxy, not data`);
  if (seen.has(value)) throw new NotDataError(`${path} refers back to itself`);
  seen.add(value);
  try {
    if (isArray(value)) {
      const out: unknown[] = [];
      const length = (getOwnPropertyDescriptor(value, 'length') as PropertyDescriptor).value as number;
      for (let i = 0; i < length; i++) out.push(encode(dataProperty(value, i, path), `${path}[${i}]`, budget, seen));
      return out;
    }
    const prototype = getPrototypeOf(value);
    if (prototype !== objectPrototype && prototype !== null)
      throw new NotDataError(`${path} is an object with a class, not plain data (return tensors through tensorData)`);
    const out: Record<string, unknown> = {};
    const keys = ownKeys(value);
    // An index loop: no iterator the student's code could have patched.
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index];
      if (typeof key !== 'string') throw new NotDataError(`${path} has a symbol key`);
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
  if (!('value' in descriptor))
    throw new NotDataError(`${path} has a getter for '${StringOf(key)}' instead of a value`);
  return descriptor.value;
}
