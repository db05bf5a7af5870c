import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeBatch } from '../../grader/batch.js';
import { course } from '../../course/course.js';
import { batchOptions, kitRoot, MACHINERY_EXERCISES, temporaryFolder } from './helpers.js';

/**
 * A grading run leaves nothing in the temp directory: every sandboxed process's work folder goes when
 * the process ends, whether it finished (the reference) or was killed (a test that never returns).
 * The temp directory is a private one (TMPDIR, which os.tmpdir() reads at each call), so the check
 * does not see the folders of other runs on the same machine.
 */
let root: string;
let privateTemp: string;
const outerTemp = process.env.TMPDIR;

beforeAll(() => {
  root = temporaryFolder('temp-folders');
  privateTemp = path.join(root, 'tmp');
  mkdirSync(privateTemp);
  process.env.TMPDIR = privateTemp;
});
afterAll(() => {
  if (outerTemp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outerTemp;
});

describe('grader temp folders', () => {
  it('a grading run whose sandboxed processes finish or are killed leaves no folder in the temp directory', async () => {
    expect(tmpdir(), 'os.tmpdir() follows TMPDIR').toBe(privateTemp);
    // The machinery exercises' reference with a ReLU that never returns: its other components' sandboxed
    // processes finish, ReLU's are killed on the case timeout. One submission covers both ends; the
    // check takes about 35 s on a 2-core machine, most of it the grading plan's reference run.
    const submissions = path.join(root, 'submissions');
    const owned = course.exercises
      .filter((exercise) => MACHINERY_EXERCISES.includes(exercise.id))
      .flatMap((exercise) => exercise.components.flatMap((component) => component.files));
    for (const file of owned)
      cpSync(path.join(kitRoot, 'solutions', file), path.join(submissions, 'infinite-loop', 'exercises', file));
    cpSync(path.join(kitRoot, 'grader/samples/infinite-loop/files'), path.join(submissions, 'infinite-loop'), {
      recursive: true,
    });
    const { reports } = await gradeBatch(batchOptions(submissions, path.join(root, 'out')));
    expect(reports.map((report) => report.student.id).sort()).toEqual(['infinite-loop']);
    const statuses = reports.flatMap((report) =>
      report.exercises.flatMap((exercise) =>
        exercise.components.flatMap((component) => component.cases.map((x) => x.status)),
      ),
    );
    expect(statuses, 'the never-returning ReLU is killed on its case timeout').toContain('timeout');
    expect(statuses, 'the other components finish').toContain('passed');
    expect(
      readdirSync(privateTemp),
      `left behind in the temp directory (grader/sandbox/case-process.ts removes its work folder when the process closes)`,
    ).toEqual([]);
  }, 240_000);
});
