import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { course } from '../../course/course.js';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeZip, type ZipEntry } from '../samples/write-zip.js';

/**
 * `npm run package-gradescope -- [--out dist/gradescope-autograder.zip] [--seed n] [--exercise ex1 …]`:
 * the kit's tracked files plus setup.sh and run_autograder at the zip's root, ready to upload as a
 * Gradescope autograder, so a course too big for one machine grades on Gradescope's workers. Every
 * student is graded with the same seed (written into the package), so the hidden tests draw the same
 * inputs for all. With `--exercise` (repeatable) the autograder grades only those exercises: a course
 * that runs one Gradescope assignment per exercise uploads one package each.
 */
const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The tests the autograder needs: the exercises' test files (they are the checks it runs), the
 * harness and the helpers they import. Not the kit's own tests.
 */
const checkFolders = [
  'tests/harness/',
  'tests/helpers/',
  ...course.exercises.map((exercise) => `${exercise.publicTests}/`),
];

/**
 * Tracked files the autograder needs: not the kit's own tests, benchmarks or CI, and not the
 * challenge's training images (grading never trains; the validation and hidden sets go in).
 */
export function packagedFiles(root: string): string[] {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  return tracked.filter(
    (file) =>
      (!file.startsWith('tests/') || checkFolders.some((folder) => file.startsWith(folder))) &&
      !file.startsWith('.ci/') &&
      !file.startsWith('bench/') &&
      !file.startsWith('data/fashion-mnist/train-'),
  );
}

export function packageAutograder(
  root: string,
  out: string,
  seed: number,
  exercises: readonly string[] = [],
): string[] {
  for (const id of exercises) {
    if (!course.exercises.some((exercise) => exercise.id === id))
      throw new Error(`unknown exercise '${id}': the course has ${course.exercises.map((e) => e.id).join(', ')}`);
  }
  const entries: ZipEntry[] = [];
  // Gradescope unpacks the zip into /autograder/source and runs setup.sh and run_autograder from its root.
  for (const name of ['setup.sh', 'run_autograder'])
    entries.push({ name, data: readFileSync(path.join(root, 'grader/gradescope', name)), executable: true });
  const files = packagedFiles(root);
  for (const file of files)
    entries.push({
      name: file,
      data: readFileSync(path.join(root, file)),
      executable: (statSync(path.join(root, file)).mode & 0o111) !== 0,
    });
  entries.push({ name: 'grader/gradescope/seed', data: Buffer.from(`${seed}\n`) });
  // One id a line; empty: the whole course (run_autograder passes each as --exercise).
  entries.push({ name: 'grader/gradescope/exercises', data: Buffer.from(exercises.map((id) => `${id}\n`).join('')) });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, writeZip(entries));
  return entries.map((e) => e.name);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'dist/gradescope-autograder.zip' },
      seed: { type: 'string' },
      exercise: { type: 'string', multiple: true },
    },
  });
  const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
  const exercises = values.exercise ?? [];
  const names = packageAutograder(kitRoot, path.resolve(values.out), seed, exercises);
  const graded = exercises.length > 0 ? exercises.join(', ') : 'every exercise';
  console.log(
    `Wrote ${values.out} (${names.length} files, seed ${seed}, grades ${graded}). Upload it as the assignment's autograder ("Zip file upload").`,
  );
}
