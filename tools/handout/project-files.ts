import type { Kit } from '../kit.js';
import { handoutPackages, optionalHandoutPackages } from './handout-files.js';

/**
 * The project files a handout gets instead of the kit's: `npm test` runs the public tests against
 * exercises/ and prints the scoreboard. package.json lists only `handoutPackages`, at the kit's
 * versions; package-lock.json is the kit's, pruned to what those packages need, so `npm ci`
 * installs exactly the versions the kit was tested with and needs no fresh resolution.
 */
interface PackageJson {
  name: string;
  version: string;
  description?: string;
  license?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface PackageLock {
  name: string;
  version: string;
  packages: Record<string, LockEntry>;
  [key: string]: unknown;
}

export function handoutPackageJson(kitPackage: PackageJson): PackageJson & Record<string, unknown> {
  // Each package keeps the section the kit lists it in.
  const dependencies: Record<string, string> = {};
  const devDependencies: Record<string, string> = {};
  const take = (name: string, required: boolean): void => {
    if (kitPackage.dependencies?.[name]) dependencies[name] = kitPackage.dependencies[name];
    else if (kitPackage.devDependencies?.[name]) devDependencies[name] = kitPackage.devDependencies[name];
    else if (required)
      throw new Error(`The handout needs the npm package '${name}', which the kit's package.json does not list`);
  };
  for (const name of handoutPackages) take(name, true);
  for (const name of optionalHandoutPackages) take(name, false);
  return {
    name: `${kitPackage.name}-exercises`,
    version: kitPackage.version,
    description: 'Deep learning from scratch in TypeScript: your exercises, their public tests and handouts.',
    type: 'module',
    private: true,
    license: kitPackage.license ?? 'UNLICENSED',
    engines: kitPackage.engines ?? { node: '>=20' },
    scripts: {
      test: 'vitest run',
      'test:watch': 'vitest',
      typecheck: 'tsc --noEmit -p tsconfig.json',
      'pack-submission': 'tsx tools/pack-submission.ts',
      playground: 'tsx tools/playground/playground.ts',
      'challenge:train': 'tsx scripts/challenge/train.ts',
      'challenge:evaluate': 'tsx scripts/challenge/evaluate.ts',
    },
    ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}),
    devDependencies,
  };
}

/** The kit's lock with the handout's root entry, keeping only the packages the root's dependencies reach. */
export function handoutPackageLock(kitLock: PackageLock, handoutPackage: PackageJson): PackageLock {
  const { name, version, license, engines, dependencies, devDependencies } = handoutPackage;
  const root: LockEntry = {
    name,
    version,
    license,
    ...(dependencies ? { dependencies } : {}),
    devDependencies,
    engines,
  };
  const packages: Record<string, LockEntry> = { ...kitLock.packages, '': root };
  const kept = new Set<string>(['']);
  const queue = [''];
  while (queue.length > 0) {
    const from = queue.shift()!;
    const entry = packages[from];
    const names = [
      entry.dependencies,
      entry.devDependencies as Record<string, string> | undefined,
      entry.optionalDependencies,
      entry.peerDependencies,
    ].flatMap((deps) => Object.keys(deps ?? {}));
    for (const dependency of names) {
      const found = resolveInLock(packages, from, dependency);
      if (found && !kept.has(found)) {
        kept.add(found);
        queue.push(found);
      }
    }
  }
  const pruned = Object.fromEntries(Object.entries(packages).filter(([path]) => kept.has(path)));
  return { ...kitLock, name, version, packages: pruned };
}

/** Node's lookup in a lockfile: `from/node_modules/name`, then each folder further up. Optional peers may be absent. */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut >= 0 ? base.slice(0, cut) : '';
  }
}

export function handoutTsconfig(kitTsconfig: { compilerOptions: Record<string, unknown> }): object {
  return {
    compilerOptions: { ...kitTsconfig.compilerOptions, paths: { '#impl/*': ['./exercises/*'] } },
    include: ['framework', 'exercises', 'tests', 'course', 'tools', 'vitest.config.ts'],
    // The playground's page is browser code with its own tsconfig (DOM types).
    exclude: ['tools/playground/page'],
  };
}

/** The handout's vitest.config.ts; `globalSetup`: the setup files it has (paths from its root). */
export function handoutVitestConfig(globalSetup: readonly string[]): string {
  const setup = globalSetup.length > 0 ? `\n    globalSetup: ${JSON.stringify(globalSetup).replace(/"/g, "'")},` : '';
  return `import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testProjects } from './tests/setup/test-projects.js';
import ScoreboardReporter from './tools/scoreboard/reporter.js';

const projects = testProjects(fileURLToPath(new URL('.', import.meta.url)));

/**
 * The tests import your code through \`#impl/…\`, which points at exercises/. The scoreboard shows, per
 * exercise component, the checks you pass and the points they are worth, and the first failure of each
 * component you are working on. \`npm test -- -t "ex1 ReLU"\` runs one component and prints its failures in
 * full; DLKIT_TRACES=1 npm test prints vitest's own output with every trace.
 */
export default defineConfig({
  resolve: {
    alias: [{ find: /^#impl\\//, replacement: fileURLToPath(new URL('./exercises/', import.meta.url)) }],
  },
  test: {
    // Each exercise's checks share modules, as the grader runs them; tests/setup/test-projects.ts says why.
    projects: [
      { extends: true, test: { name: 'checks', include: projects.shared, exclude: projects.isolated, isolate: false } },
      { extends: true, test: { name: 'isolated', include: projects.isolated, isolate: true } },
    ],
    pool: 'forks',${setup}
    testTimeout: 60_000,
    reporters: process.env.DLKIT_TRACES === '1'
      ? ['default', new ScoreboardReporter({ implementation: 'exercises' })]
      : [new ScoreboardReporter({ implementation: 'exercises', compact: true })],
  },
});
`;
}

export const handoutGitignore = 'node_modules/\nsubmission-*.zip\n*.log\n';

export const handoutToolsReadme = `# tools/

What \`npm test\` and \`npm run pack-submission\` run: the scoreboard (a vitest reporter, scoreboard/) and
the submission packer (pack-submission.ts, submission/). You never need to change these files.
`;

export function handoutReadme(kit: Kit): string {
  const rows = kit.course.exercises.map((exercise) => {
    const points = exercise.components.reduce((sum, component) => sum + component.points, 0);
    return `| ${exercise.id} | [${exercise.title}](${exercise.handout}) | ${exercise.components.map((c) => c.name).join(', ')} | ${points} |`;
  });
  return `# ${kit.course.name}

You build a deep-learning framework from scratch, one exercise at a time. The framework's given parts
are in framework/; your parts are the stubs in exercises/, each of which throws
\`NotImplementedError\` and names the handout section to read.

| exercise | handout | components | points (public tests) |
|---|---|---|---|
${rows.join('\n')}

## Start

\`\`\`sh
npm ci          # install (Node 20 or later)
npm test        # every public test, then the scoreboard
\`\`\`

## Run part of the tests

\`\`\`sh
npm test -- ex2                  # one exercise (the test files under tests/ex2)
npm test -- -t "ex2 Conv"        # one component: the name in the scoreboard
npm run test:watch -- ex2        # re-run on every save
npm run typecheck                # type errors in your code, with file and line
\`\`\`

After the test output, the scoreboard lists each component with the tests you pass and the points
they are worth, and under "Read next" the handout section for each failing test. "not started" means
the tests only hit stubs. Points shown are an estimate from the public tests; hidden tests also count.

## Watch your layers learn

\`\`\`sh
npm run playground               # builds a page from your exercises/ and prints its URL
\`\`\`

Train your own network on the spiral, XOR, circles, Iris or Digits in the browser: live loss and
accuracy, the decision boundary, filters, feature maps and saliency. A component you have not
written yet says so on the page. Reload the page after you change your code.

## Submit

\`\`\`sh
npm run pack-submission -- --student <your id>
\`\`\`

writes \`submission-<your id>.zip\` with exactly the files you own and tells you if one is missing.
More in [docs/student-guide.md](docs/student-guide.md).
`;
}
