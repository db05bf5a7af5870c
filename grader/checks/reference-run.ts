import path from 'node:path';
import type { ExerciseSpec } from '../../course/course.js';
import { bundleChecks } from '../sandbox/bundle.js';
import { runCaseProcess } from '../sandbox/case-process.js';
import type { ErrorData } from '../sandbox/protocol.js';
import type { CheckFile } from './catalogue.js';
import { CheckSetupError } from './catalogue.js';

const REFERENCE_TIMEOUT_MS = 120_000;

/**
 * Runs an exercise's hidden checks (the public reruns and the hidden-only checks) against solutions/
 * in a trusted process under `seed`, and returns each check's data by key. Any error is a bug in the
 * kit (a check that the reference fails) and stops the run with the check's name.
 */
export async function runReference(
  kitRoot: string,
  exercise: ExerciseSpec,
  files: readonly CheckFile[],
  seed: number,
): Promise<Map<string, unknown>> {
  const webgpu = files.some((file) => file.checks.webgpu);
  const bundle = await bundleChecks(
    kitRoot,
    files.map((file) => file.path),
    { kind: 'folder', root: path.join(kitRoot, 'solutions') },
    { webgpu },
  );
  if (!bundle.ok) {
    throw new CheckSetupError(
      `${exercise.id}'s checks do not build against solutions/: ${bundle.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')}`,
    );
  }
  const results = new Map<string, unknown>();
  const errors: string[] = [];
  const run = runCaseProcess({
    code: bundle.code,
    config: { seed, visibility: 'hidden', skip: [] },
    isolation: 'trusted',
    memoryBytes: 4 * 1024 * 1024 * 1024,
    caseTimeoutMs: REFERENCE_TIMEOUT_MS,
    deadline: Date.now() + 10 * REFERENCE_TIMEOUT_MS,
    webgpu,
    onFrame: (frame) => {
      const f = frame as { t: string; id?: string; data?: unknown; error?: ErrorData };
      if (f.t === 'result' && f.id) results.set(f.id, f.data);
      else if (f.t === 'error') errors.push(`check '${f.id}' threw ${f.error?.name}: ${f.error?.message}`);
      else if (f.t === 'load-error') errors.push(`loading failed: ${f.error?.name}: ${f.error?.message}`);
    },
  });
  const end = await run.done;
  if (errors.length > 0)
    throw new CheckSetupError(`the reference solution fails ${exercise.id}'s hidden checks: ${errors.join('; ')}`);
  if (end.killed || end.code !== 0)
    throw new CheckSetupError(
      `the reference run of ${exercise.id}'s hidden checks ended badly (${end.killed?.detail ?? `exit ${end.code}`}): ${end.output}`,
    );
  return results;
}
