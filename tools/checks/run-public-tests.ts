import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exists } from '../files.js';
import { cleanEnvironment } from './clean-environment.js';
import type { Kit } from '../kit.js';
import type { TestResults } from '../scoreboard/test-records.js';

/**
 * Runs the public tests of every exercise (or of `exercises`) in a separate vitest process, against
 * `implementation` (DLKIT_IMPL: solutions, exercises, or a folder directly inside the kit), and returns
 * the results the scoreboard reporter writes as JSON. A separate process keeps the kit's own run and
 * the stubs' kernel registrations apart.
 */
export function runPublicTests(
  kit: Kit,
  implementation: string,
  exercises?: readonly string[],
): TestResults & { output: string } {
  const folders = kit.course.exercises
    .filter((exercise) => exercises === undefined || exercises.includes(exercise.id))
    .map((exercise) => exercise.publicTests)
    .filter((folder) => exists(path.join(kit.root, folder)));
  if (folders.length === 0) return { tests: [], failedModules: [], output: 'no public tests yet' };
  const scratch = mkdtempSync(path.join(tmpdir(), 'dlkit-results-'));
  const resultsFile = path.join(scratch, 'results.json');
  try {
    const vitest = path.join(kit.root, 'node_modules', 'vitest', 'vitest.mjs');
    const run = spawnSync(
      process.execPath,
      [vitest, 'run', '--root', kit.root, ...folders.map((folder) => `${folder}/`)],
      {
        cwd: kit.root,
        env: cleanEnvironment({ DLKIT_IMPL: implementation, DLKIT_RESULTS_JSON: resultsFile }),
        encoding: 'utf8',
        timeout: 300_000,
      },
    );
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (!exists(resultsFile)) throw new Error(`vitest wrote no results (exit ${run.status}):\n${output}`);
    return { ...(JSON.parse(readFileSync(resultsFile, 'utf8')) as TestResults), output };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
