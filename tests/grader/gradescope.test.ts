import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageAutograder } from '../../grader/gradescope/package.js';
import { buildSamples } from '../../grader/samples/build-samples.js';
import { readZip } from '../../grader/submissions/zip.js';
import { kitRoot, temporaryFolder } from './helpers.js';

describe('grader Gradescope autograder', () => {
  it('packages setup.sh, run_autograder and the kit, and run_autograder writes results.json', async () => {
    const root = temporaryFolder('gradescope');
    const zip = path.join(root, 'autograder.zip');
    const names = packageAutograder(kitRoot, zip, 7);
    expect(names.slice(0, 2)).toEqual(['setup.sh', 'run_autograder']);
    expect(names).toContain('grader/cli.ts');
    expect(names).toContain('package-lock.json');
    expect(names.some((n) => n.startsWith('tests/'))).toBe(false);

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
    execFileSync(path.join(source, 'run_autograder'), { env: { ...process.env, AUTOGRADER_ROOT: root }, stdio: 'pipe' });
    const results = JSON.parse(readFileSync(path.join(root, 'results', 'results.json'), 'utf8')) as { score: number; tests: unknown[] };
    expect(results.score).toBe(150);
    expect(results.tests.length).toBeGreaterThan(30);
  }, 180_000);
});
