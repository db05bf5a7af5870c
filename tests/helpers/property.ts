import fc from 'fast-check';
import { isNotImplementedError } from '../../framework/index.js';

/**
 * fast-check settings for every property test: a fixed seed (so a run is reproducible), enough runs
 * to find the usual mistakes, and on failure the seed and path to replay the exact counterexample:
 *   fc.assert(property, { ...propertyOptions, seed: <seed>, path: '<path>' })
 */
export const PROPERTY_SEED = 20261122;

export const propertyOptions = { seed: PROPERTY_SEED, numRuns: 60, endOnFailure: true } as const;

/**
 * Runs a property with the kit's fixed seed; fast-check's failure message already carries seed and path.
 * A stub's NotImplementedError is rethrown as itself, so the test reports "not implemented yet" rather
 * than a property failure.
 */
export function assertProperty<Ts extends unknown[]>(
  property: fc.IProperty<Ts>,
  runs: number = propertyOptions.numRuns,
): void {
  try {
    fc.assert(property, { ...propertyOptions, numRuns: runs });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (isNotImplementedError(cause)) throw cause;
    throw error;
  }
}

// The arbitraries are the harness's (tests/harness/samples.ts), so framework tests and component checks draw alike.
export { finite, matrix } from '../harness/samples.js';
