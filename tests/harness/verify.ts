import type { ErrorData, GradientComparison, GradientData, TensorData } from './data.js';

/**
 * What a check's `verify` uses besides vitest's `expect`: pure assertions on plain data whose failure
 * says what was expected, what came, and what to look at next. They never see the student's objects,
 * only the data `run` returned, so they run the same in `npm test` and in the grader's orchestrator.
 */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
}

export function fail(message: string): never {
  throw new CheckFailure(message);
}

type Expected =
  | number
  | readonly number[]
  | readonly (readonly number[])[]
  | readonly (readonly (readonly number[])[])[]
  | TensorData;

/**
 * `received` (a tensor's data, or a number) has `expected`'s shape and every element within
 * `tolerance` (|r − e| ≤ tol·(1 + |e|); NaN never passes; an expected ±∞ needs the same ±∞).
 */
export function expectClose(received: TensorData | number, expected: Expected, tolerance: number, what: string): void {
  if (typeof expected === 'number') {
    if (typeof received !== 'number')
      fail(`${what}: expected the number ${expected}, received ${describeValue(received)}`);
    if (!closeEnough(received, expected, tolerance))
      fail(`${what}: expected ${expected}, received ${received} (tolerance ${tolerance})`);
    return;
  }
  const want = isTensorData(expected)
    ? expected
    : { shape: shapeOf(expected), data: (expected as readonly unknown[]).flat(3) as number[] };
  if (!isTensorData(received))
    fail(`${what}: expected a tensor of shape [${want.shape.join(', ')}], received ${describeValue(received)}`);
  if (received.shape.length !== want.shape.length || received.shape.some((d, i) => d !== want.shape[i])) {
    fail(`${what}: wrong shape [${received.shape.join(', ')}], expected [${want.shape.join(', ')}]`);
  }
  for (let i = 0; i < want.data.length; i++) {
    if (!closeEnough(received.data[i], want.data[i], tolerance)) {
      fail(
        `${what}: element ${formatIndex(i, want.shape)} is ${received.data[i]}, expected ${want.data[i]} (tolerance ${tolerance}).\n` +
          `  received: ${preview(received.data)}\n  expected: ${preview(want.data)}`,
      );
    }
  }
}

/** A finite tensor (no NaN, no ±∞). */
export function expectFinite(received: TensorData | number, what: string): void {
  const values = typeof received === 'number' ? [received] : received.data;
  const index = values.findIndex((v) => !Number.isFinite(v));
  if (index >= 0)
    fail(
      `${what}: element ${index} is ${values[index]}; it must stay finite (look for a log or division at 0, or a missing ε)`,
    );
}

export function closeEnough(received: number, expected: number, tolerance: number): boolean {
  if (typeof received !== 'number' || Number.isNaN(received)) return false;
  if (!Number.isFinite(expected) || !Number.isFinite(received)) return received === expected;
  return Math.abs(received - expected) <= tolerance * (1 + Math.abs(expected));
}

/**
 * Each gradient (input and every parameter) matches centred differences within `threshold`
 * (max relative error). The hint fits the gradient that failed: the input's comes from the chain rule
 * alone, a parameter's must also be added to `.grad`, not assigned.
 */
export function expectGradientsMatch(report: GradientData, threshold: number): void {
  const all: GradientComparison[] = [report.input, ...report.parameters];
  for (const comparison of all) {
    if (comparison.maxRelativeError < threshold) continue;
    const where = `${report.layer}.backward: gradient of '${comparison.name}' has relative error ${formatError(comparison.maxRelativeError)} (limit ${threshold}) at index [${comparison.worstIndex.join(', ')}]: backward gave ${comparison.analytic}, centred differences give ${comparison.numeric}.`;
    const hint =
      comparison === report.input
        ? ` Check the formula for the gradient with respect to the ${comparison.name} (what backward returns) in the handout.`
        : ` Check the formula for ∂L/∂${comparison.name} in the handout, and that it is added to ${comparison.name}.grad (accumulate), not assigned.`;
    fail(where + hint);
  }
}

/** The error a bad input must raise: its name, and words its message must hold. */
export function expectError(
  received: ErrorData | null,
  name: string,
  what: string,
  messageIncludes: readonly string[] = [],
): void {
  if (received === null) fail(`${what}: expected a ${name}, but it returned normally`);
  if (received.name !== name) fail(`${what}: expected a ${name}, received ${received.name}: ${received.message}`);
  for (const words of messageIncludes) {
    if (!received.message.includes(words))
      fail(`${what}: the ${name}'s message should mention '${words}'; it says: ${received.message}`);
  }
}

/** Accuracy computed here, from raw scores: argmax of each row against integer labels. */
export function accuracyOf(scores: TensorData, labels: readonly number[]): number {
  const classes = scores.shape[scores.shape.length - 1];
  const rows = scores.data.length / classes;
  if (rows !== labels.length || rows === 0) fail(`expected scores for ${labels.length} examples, received ${rows}`);
  let correct = 0;
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (scores.data[row * classes + k] > scores.data[row * classes + best]) best = k;
    if (!Number.isFinite(scores.data[row * classes + best])) continue;
    if (best === labels[row]) correct++;
  }
  return correct / rows;
}

export function isTensorData(value: unknown): value is TensorData {
  return (
    value !== null &&
    typeof value === 'object' &&
    Array.isArray((value as TensorData).shape) &&
    Array.isArray((value as TensorData).data)
  );
}

function shapeOf(nested: unknown): number[] {
  const shape: number[] = [];
  let level: unknown = nested;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

function formatIndex(flat: number, shape: readonly number[]): string {
  const index: number[] = [];
  let rest = flat;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(rest % shape[axis]);
    rest = Math.floor(rest / shape[axis]);
  }
  return `[${index.join(', ')}]`;
}

function preview(values: readonly number[]): string {
  const shown = values.slice(0, 12).map((v) => (Number.isInteger(v) ? String(v) : v.toPrecision(6)));
  return `[${shown.join(', ')}${values.length > 12 ? `, … (${values.length} values)` : ''}]`;
}

function formatError(value: number): string {
  return Number.isFinite(value) ? value.toExponential(2) : String(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
