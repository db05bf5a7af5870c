import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ExerciseSpec } from '../../course/course.js';
import { reviveNonFinite, toWire } from '../../tests/harness/plain-data.js';
import { checksToRun } from '../sandbox/checks-to-run.js';
import { GraderSetupError } from '../setup-error.js';
import type { CheckFile } from './catalogue.js';
import { runReference } from './reference-run.js';

export interface ReferenceDataRequest {
  readonly kitRoot: string;
  readonly exercise: ExerciseSpec;
  /** The exercise's graded check files. */
  readonly files: readonly CheckFile[];
  /** The run's hidden seed. */
  readonly seed: number;
  /** The plan's fingerprint: a cached file from other checks or solutions is never read. */
  readonly fingerprint: string;
  /** Where the data is cached (checks/cache-folder.ts); none: computed every time. */
  readonly cacheDirectory?: string;
}

/**
 * The reference's data for the hidden cases that compare with it, by key: one trusted run of
 * solutions/ per exercise under the run's seed (checks/reference-run.ts), cached as JSON under
 * `cacheDirectory` per exercise, fingerprint and seed, so a second batch (into any `--out`, or
 * `--resume`) does not run the reference again.
 */
export async function referenceData(request: ReferenceDataRequest): Promise<Map<string, unknown>> {
  const { kitRoot, exercise, files, seed, fingerprint, cacheDirectory } = request;
  const needed = checksToRun(
    files.map((file) => file.checks),
    'hidden',
  ).filter((entry) => entry.check.matchReference !== false);
  if (needed.length === 0) return new Map();
  const cacheFile = cacheDirectory
    ? path.join(cacheDirectory, `reference-${exercise.id}-${fingerprint}-${seed}.json`)
    : undefined;
  if (cacheFile && existsSync(cacheFile))
    return new Map(JSON.parse(readFileSync(cacheFile, 'utf8'), reviveNonFinite) as Array<[string, unknown]>);
  const results = await runReference(kitRoot, exercise, files, seed);
  for (const entry of needed) {
    if (!results.has(entry.key))
      throw new GraderSetupError(`the reference gave no result for ${exercise.id} ${entry.key}`);
  }
  if (cacheFile) {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    // A name of its own per process: two batches that start together may both compute the same file.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify([...results].map(([key, data]) => [key, toWire(data)])));
    renameSync(partial, cacheFile);
  }
  return results;
}
