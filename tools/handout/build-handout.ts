import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkExercisesUpToDate } from '../checks/up-to-date.js';
import { findSolutionText } from '../checks/solution-text.js';
import { exists } from '../files.js';
import type { Kit } from '../kit.js';
import {
  forbiddenHandoutPaths,
  handoutFolders,
  handoutGlobalSetup,
  handoutTools,
  optionalHandoutFiles,
} from './handout-files.js';
import {
  handoutGitignore,
  handoutPackageJson,
  handoutPackageLock,
  handoutReadme,
  handoutToolsReadme,
  handoutTsconfig,
  handoutVitestConfig,
} from './project-files.js';

/**
 * Builds the student handout in `out` (which must be empty or absent): a self-contained project a
 * course can hand out or push to a template repository. It refuses to build from an out-of-date
 * exercises/ and checks its own result for solution text and forbidden paths before it returns.
 */
export function buildHandout(kit: Kit, out: string): void {
  const stale = checkExercisesUpToDate(kit);
  if (stale.length > 0) throw new Error(stale.join('\n'));
  if (exists(out) && readdirSync(out).length > 0)
    throw new Error(`${out} is not empty: give an empty or new folder to --out`);
  mkdirSync(out, { recursive: true });

  const copy = (relative: string): void =>
    cpSync(path.join(kit.root, relative), path.join(out, relative), { recursive: true });
  const publicTests = kit.course.exercises.map((exercise) => exercise.publicTests);
  for (const folder of [...handoutFolders, ...publicTests]) if (exists(path.join(kit.root, folder))) copy(folder);
  for (const file of [...optionalHandoutFiles, ...handoutTools]) if (exists(path.join(kit.root, file))) copy(file);

  const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(kit.root, file), 'utf8')) as T;
  const packageJson = handoutPackageJson(readJson('package.json'));
  const write = (file: string, text: string): void => writeFileSync(path.join(out, file), text);
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  write('package.json', json(packageJson));
  write('package-lock.json', json(handoutPackageLock(readJson('package-lock.json'), packageJson)));
  write('tsconfig.json', json(handoutTsconfig(readJson('tsconfig.json'))));
  write('vitest.config.ts', handoutVitestConfig(handoutGlobalSetup.filter((file) => exists(path.join(out, file)))));
  write('README.md', handoutReadme(kit));
  write('.gitignore', handoutGitignore);
  write('tools/README.md', handoutToolsReadme);

  const problems = [
    ...forbiddenHandoutPaths
      .filter((forbidden) => exists(path.join(out, forbidden)))
      .map((forbidden) => `${forbidden} must not be in a handout`),
    ...kit.course.exercises
      .filter((exercise) => exists(path.join(out, exercise.hiddenTests)))
      .map((exercise) => `${exercise.hiddenTests} (hidden tests) must not be in a handout`),
    ...findSolutionText(kit, out, 'handout'),
  ];
  if (problems.length > 0) throw new Error(`The handout in ${out} is not fit to hand out:\n  ${problems.join('\n  ')}`);
}
