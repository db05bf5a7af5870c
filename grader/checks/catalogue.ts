import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { graderCacheFolder } from './cache-folder.js';
import type { ExerciseSpec } from '../../course/course.js';
import { Rng } from '../../framework/random/rng.js';
import type { ComponentChecks } from '../../tests/harness/checks.js';
import { bundleChecksForOrchestrator } from '../sandbox/bundle.js';
import { GraderSetupError } from '../setup-error.js';

/**
 * The orchestrator's copy of every check: the public test files (each exercise's `publicTests`
 * folder) and the hidden check files (`hiddenTests`), bundled with solutions/ and imported here, so
 * that the plan knows each check's title, kind, weight and options, and the grader can call its
 * `verify` on the data a sandbox sent back. The same files, bundled with a submission instead, are
 * what the sandbox runs: nothing about a check is written twice.
 */
export interface CheckFile {
  /** Absolute path of the file. */
  readonly path: string;
  readonly exercise: ExerciseSpec;
  readonly checks: ComponentChecks;
}

export interface CheckCatalogue {
  readonly files: readonly CheckFile[];
  /** The Rng class of the bundle the checks live in (to call a check's `run` in this process, as benchmarks do). */
  readonly Rng: typeof Rng;
  /** Hash of the bundle (checks, solutions, framework): part of the plan's fingerprint. */
  readonly hash: string;
}

/** The check files cannot serve: the CLI says so on one line and exits 2, as for any GraderSetupError. */
export class CheckSetupError extends GraderSetupError {
  override name = 'CheckSetupError';
}

/** Test files of a public folder (`*.test.ts`) or check files of a hidden one (`*.ts`), sorted. */
export function checkFilesIn(folder: string, visibility: 'public' | 'hidden'): string[] {
  if (!existsSync(folder)) return [];
  const suffix = visibility === 'public' ? '.test.ts' : '.ts';
  return readdirSync(folder)
    .filter((name) => name.endsWith(suffix) && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => path.join(folder, name));
}

export async function loadCheckCatalogue(kitRoot: string, exercises: readonly ExerciseSpec[]): Promise<CheckCatalogue> {
  const listed = exercises.flatMap((exercise) => [
    ...checkFilesIn(path.join(kitRoot, exercise.publicTests), 'public').map((file) => ({
      file,
      exercise,
      visibility: 'public' as const,
    })),
    ...checkFilesIn(path.join(kitRoot, exercise.hiddenTests), 'hidden').map((file) => ({
      file,
      exercise,
      visibility: 'hidden' as const,
    })),
  ]);
  if (listed.length === 0) return { files: [], hash: 'none', Rng };
  let code: string;
  try {
    code = await bundleChecksForOrchestrator(
      kitRoot,
      listed.map(({ file }) => file),
    );
  } catch (error) {
    const messages = (error as { errors?: Array<{ text: string; location: { file: string; line: number } | null }> })
      .errors;
    const detail = messages
      ? messages.map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`).join('; ')
      : String(error);
    throw new CheckSetupError(`the check files do not build against solutions/: ${detail}`);
  }
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const folder = graderCacheFolder(kitRoot);
  const file = path.join(folder, `checks-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, code);
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
  const module = (await import(pathToFileURL(file).href)) as Record<string, ComponentChecks | undefined> & {
    Rng: typeof Rng;
  };
  const files = listed.map(({ file: checkFile, exercise, visibility }, index): CheckFile => {
    const where = path.relative(kitRoot, checkFile);
    const checks = module[`file${index}`];
    if (!checks || !Array.isArray(checks.checks)) {
      throw new CheckSetupError(
        `${where} has no default export of checks: end it with \`export default ${visibility === 'public' ? 'componentChecks' : 'hiddenChecks'}('${exercise.id}', 'Component', [...])\``,
      );
    }
    if (checks.exercise !== exercise.id)
      throw new CheckSetupError(`${where} declares exercise '${checks.exercise}' but lives in ${exercise.id}'s folder`);
    if (checks.visibility !== visibility)
      throw new CheckSetupError(`${where} declares ${checks.visibility} checks but lives in the ${visibility} folder`);
    if (!exercise.components.some((component) => component.name === checks.component)) {
      throw new CheckSetupError(
        `${where} names component '${checks.component}', which ${exercise.id} does not have in course/course.ts`,
      );
    }
    return { path: checkFile, exercise, checks };
  });
  for (const exercise of exercises) {
    for (const visibility of ['public', 'hidden'] as const) {
      const seen = new Map<string, string>();
      for (const entry of files.filter((f) => f.exercise === exercise && f.checks.visibility === visibility)) {
        const other = seen.get(entry.checks.component);
        if (other)
          throw new CheckSetupError(
            `${exercise.id} ${entry.checks.component} has two ${visibility} check files: ${other} and ${path.relative(kitRoot, entry.path)}; keep one per component`,
          );
        seen.set(entry.checks.component, path.relative(kitRoot, entry.path));
      }
    }
  }
  return { files, hash, Rng: module.Rng };
}
