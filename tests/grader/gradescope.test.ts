import { execFileSync } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageAutograder } from '../../grader/gradescope/package.js';
import { buildSamples } from '../../grader/samples/build-samples.js';
import { readZip } from '../../grader/submissions/zip.js';
import { cleanEnvironment } from '../../tools/checks/clean-environment.js';
import { kitRoot, temporaryFolder } from './helpers.js';

describe('grader Gradescope autograder', () => {
  it('packages setup.sh, run_autograder and the kit, and run_autograder writes results.json', async () => {
    const root = temporaryFolder('gradescope');
    const zip = path.join(root, 'autograder.zip');
    // One assignment per exercise: this package grades Exercise 1 only.
    const names = packageAutograder(kitRoot, zip, 7, ['ex1']);
    expect(names).toContain('grader/gradescope/install-node.sh');
    expect(names.slice(0, 2)).toEqual(['setup.sh', 'run_autograder']);
    expect(names).toContain('grader/cli.ts');
    expect(names).toContain('package-lock.json');
    // The checks it runs are the exercises' test files, with the harness and helpers they import; not the kit's own tests.
    expect(names).toContain('tests/harness/checks.ts');
    expect(names).toContain('tests/ex1/fully-connected.test.ts');
    expect(names.some((n) => /^tests\/(tools|grader|framework|fixtures|bugged)\//.test(n))).toBe(false);

    // Unpack it as Gradescope would (into <root>/source), give it this checkout's node_modules, and grade
    // the reference sample as the student's submission.
    const source = path.join(root, 'source');
    const contents = await readZip(zip);
    expect(contents.refused).toEqual([]);
    for (const [name, data] of contents.files) {
      mkdirSync(path.dirname(path.join(source, name)), { recursive: true });
      writeFileSync(path.join(source, name), data);
    }
    chmodSync(path.join(source, 'run_autograder'), 0o755);
    symlinkSync(path.join(kitRoot, 'node_modules'), path.join(source, 'node_modules'));
    const samples = await buildSamples(kitRoot, path.join(root, 'samples'));
    for (const [name, data] of (await readZip(path.join(samples, 'reference.zip'))).files) {
      mkdirSync(path.dirname(path.join(root, 'submission', name)), { recursive: true });
      writeFileSync(path.join(root, 'submission', name), data);
    }
    // setup.sh's Node step on an image that has Node 20+ (this machine): nothing to install.
    const nodeStep = execFileSync('bash', [path.join(source, 'grader/gradescope/install-node.sh')], {
      env: cleanEnvironment({ DLKIT_NODE_PREFIX: path.join(root, 'prefix') }),
      encoding: 'utf8',
    });
    expect(nodeStep).toMatch(/Node\.js v\d+\.\d+\.\d+ is present; nothing to install/);
    expect(existsSync(path.join(root, 'prefix'))).toBe(false);
    execFileSync(path.join(source, 'run_autograder'), {
      env: cleanEnvironment({ AUTOGRADER_ROOT: root }),
      stdio: 'pipe',
    });
    const results = JSON.parse(readFileSync(path.join(root, 'results', 'results.json'), 'utf8')) as {
      score: number;
      tests: Array<{ name: string; max_score: number }>;
    };
    // Full marks for Exercise 1 (100 public and 50 hidden points), and nothing of the other exercises.
    expect(results.score).toBeCloseTo(150, 3);
    expect(results.tests.filter((test) => !test.name.startsWith('ex1 ')).map((test) => test.name)).toEqual([]);
    expect(results.score).toBeCloseTo(
      results.tests.reduce((total, test) => total + test.max_score, 0),
      3,
    );
    expect(results.tests.length).toBeGreaterThan(30);
  }, 180_000);

  it('installs Node only from a tarball whose SHA-256 matches the pinned one (no download here: the tarball is given)', () => {
    const root = temporaryFolder('install-node');
    const fake = path.join(root, 'node.tar.xz');
    writeFileSync(fake, 'not the Node.js release');
    const prefix = path.join(root, 'prefix');
    const run = spawnSync('bash', [path.join(kitRoot, 'grader/gradescope/install-node.sh')], {
      env: cleanEnvironment({
        DLKIT_NODE: path.join(root, 'no-node-here'),
        DLKIT_NODE_TARBALL: fake,
        DLKIT_NODE_PREFIX: prefix,
        DLKIT_NODE_ARCH: 'x86_64',
      }),
      encoding: 'utf8',
    });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /refusing to install node-v20\.\d+\.\d+-linux-x64\.tar\.xz: its SHA-256 is [0-9a-f]{64}, expected [0-9a-f]{64}/,
    );
    expect(existsSync(prefix), 'nothing installed').toBe(false);
    const unknown = spawnSync('bash', [path.join(kitRoot, 'grader/gradescope/install-node.sh')], {
      env: cleanEnvironment({ DLKIT_NODE: path.join(root, 'no-node-here'), DLKIT_NODE_ARCH: 'mips' }),
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no pinned Node\.js build/);
  });
});
