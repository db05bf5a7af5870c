import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * vitest runs the tests in two projects (the kit's and the handout's vitest.config.ts):
 * - `checks`: the exercises' component checks (tests/exN/). They share modules within a worker, as the
 *   grader runs an exercise's components in one sandboxed process: the framework, fast-check and the
 *   harness are loaded once per worker instead of once per file, which makes a whole-course run about
 *   three times cheaper. A check keeps nothing between files: its data comes from its seed.
 * - `isolated`: every other test (the kit's own), and the component files that ask for fresh modules
 *   (`componentChecks(…, { isolate: true })`, e.g. GpuTraining, which grades the kernels that
 *   `kernels/index.ts` registers by importing them: another file's imports must not stand in for them).
 *   The kit's own tests inspect process-wide state (the kernel registry, the environment) and get a
 *   fresh module graph per file.
 */
export interface TestProjects {
  /** The component check files that share modules (globs, from the root). */
  readonly shared: string[];
  /** Everything that gets fresh modules per file (globs and files, from the root). */
  readonly isolated: string[];
}

const CHECK_FOLDER = /^ex\d+$/;
/** How a component check file asks for fresh modules (tests/harness/checks.ts, ComponentOptions). */
const ASKS_FOR_ISOLATION = /\bisolate:\s*true\b/;

export function testProjects(root: string): TestProjects {
  const tests = path.join(root, 'tests');
  const folders = readdirSync(tests, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const checkFolders = folders.filter((entry) => CHECK_FOLDER.test(entry.name)).map((entry) => entry.name);
  const isolatedChecks = checkFolders.flatMap((folder) =>
    readdirSync(path.join(tests, folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => `tests/${folder}/${file.split(path.sep).join('/')}`)
      .filter((file) => ASKS_FOR_ISOLATION.test(readFileSync(path.join(root, file), 'utf8'))),
  );
  const otherFolders = folders.filter((entry) => !CHECK_FOLDER.test(entry.name)).map((entry) => entry.name);
  return {
    shared: checkFolders.map((folder) => `tests/${folder}/**/*.test.ts`),
    isolated: [...otherFolders.map((folder) => `tests/${folder}/**/*.test.ts`), ...isolatedChecks],
  };
}
