/**
 * How a hidden case's data is compared with the reference's on the same seed, both already plain
 * JSON values parsed by the orchestrator (so no Proxy, getter or toJSON can reach here). Numbers pass
 * only when `|received − expected| ≤ tol·(1 + |expected|)` is TRUE, so NaN fails every check; shapes,
 * lengths and keys must match exactly before any number is looked at.
 */

/** How a hidden case's data is compared with the reference's on the same seed (a check's `matchReference`). */
export type Comparison =
  /** Every number within `tolerance` (absolute plus relative: |a − b| ≤ tol·(1 + |b|)); the rest equal. */
  | { readonly kind: 'close'; readonly tolerance?: number }
  /** Deep equality of every value. */
  | { readonly kind: 'exact' };

export interface Mismatch {
  /** Where: `output.data[4]`, `parameters.weight.shape`, or '' for the whole value. */
  readonly path: string;
  /** What kind of difference, for reports that may not show values (hidden tests). */
  readonly kind: 'type' | 'shape' | 'length' | 'keys' | 'nan' | 'value';
  /** One sentence for the report. */
  readonly reason: string;
  readonly expected?: unknown;
  readonly received?: unknown;
}

export type Verdict = { readonly pass: true } | { readonly pass: false; readonly mismatch: Mismatch };

export const DEFAULT_TOLERANCE = 1e-6;

export function compareData(received: unknown, expected: unknown, comparison: Comparison | undefined): Verdict {
  const kind = comparison?.kind ?? 'close';
  const tolerance = comparison?.kind === 'close' ? (comparison.tolerance ?? DEFAULT_TOLERANCE) : 0;
  const mismatch = firstMismatch(received, expected, '', tolerance, kind === 'exact');
  return mismatch ? { pass: false, mismatch } : { pass: true };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

function isTensor(value: unknown): value is { shape: unknown[]; data: unknown[] } {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray((value as { shape?: unknown }).shape) &&
    Array.isArray((value as { data?: unknown }).data)
  );
}

function firstMismatch(
  received: unknown,
  expected: unknown,
  path: string,
  tolerance: number,
  exact: boolean,
): Mismatch | undefined {
  if (typeof expected === 'number') {
    if (typeof received !== 'number')
      return { path, kind: 'type', reason: `expected a number, received ${typeName(received)}`, expected, received };
    if (Number.isNaN(received)) return { path, kind: 'nan', reason: 'received NaN', expected, received };
    // ±∞ matches only the same ±∞: the tolerance formula cannot say so (∞ − ∞ is NaN, and any finite
    // value is within tol·(1 + ∞) of ∞).
    if (!Number.isFinite(expected) || !Number.isFinite(received)) {
      return received === expected
        ? undefined
        : { path, kind: 'value', reason: `received ${received}`, expected, received };
    }
    const ok = exact
      ? Object.is(received, expected) || received === expected
      : Math.abs(received - expected) <= tolerance * (1 + Math.abs(expected));
    if (ok === true) return undefined;
    return {
      path,
      kind: 'value',
      reason: exact ? 'wrong value' : `wrong value (tolerance ${tolerance})`,
      expected,
      received,
    };
  }
  if (expected === null || typeof expected !== 'object') {
    if (received === expected) return undefined;
    return typeof received === typeof expected
      ? { path, kind: 'value', reason: 'wrong value', expected, received }
      : {
          path,
          kind: 'type',
          reason: `expected ${typeName(expected)}, received ${typeName(received)}`,
          expected,
          received,
        };
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(received))
      return { path, kind: 'type', reason: `expected an array, received ${typeName(received)}`, expected, received };
    if (received.length !== expected.length)
      return {
        path,
        kind: 'length',
        reason: `expected ${expected.length} values, received ${received.length}`,
        expected,
        received,
      };
    for (let i = 0; i < expected.length; i++) {
      const mismatch = firstMismatch(received[i], expected[i], join(path, i), tolerance, exact);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (received === null || typeof received !== 'object' || Array.isArray(received)) {
    return { path, kind: 'type', reason: `expected an object, received ${typeName(received)}`, expected, received };
  }
  const want = expected as Record<string, unknown>;
  const got = received as Record<string, unknown>;
  if (isTensor(expected)) {
    // A tensor: a wrong shape says so before any element is compared.
    if (!isTensor(received))
      return { path, kind: 'type', reason: 'expected a tensor { shape, data }', expected, received };
    const shapeMismatch = firstMismatch(received.shape, expected.shape, join(path, 'shape'), 0, true);
    if (shapeMismatch)
      return {
        path,
        kind: 'shape',
        reason: `wrong shape [${received.shape.join(', ')}], expected [${expected.shape.join(', ')}]`,
        expected: expected.shape,
        received: received.shape,
      };
  }
  const expectedKeys = Object.keys(want).sort();
  const receivedKeys = Object.keys(got).sort();
  if (expectedKeys.join('\u0000') !== receivedKeys.join('\u0000')) {
    return {
      path,
      kind: 'keys',
      reason: `expected the keys ${expectedKeys.join(', ')}, received ${receivedKeys.join(', ')}`,
      expected,
      received,
    };
  }
  for (const key of expectedKeys) {
    const mismatch = firstMismatch(got[key], want[key], join(path, key), tolerance, exact);
    if (mismatch) return mismatch;
  }
  return undefined;
}
