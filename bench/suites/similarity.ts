import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { course } from '../../course/course.js';
import { findSimilarity } from '../../grader/similarity/find-similarity.js';
import { givenCode } from '../../grader/similarity/given-code.js';
import { DEFAULT_SIMILARITY_SETTINGS } from '../../grader/similarity/similarity-types.js';
import { writeSimilarity } from '../../grader/similarity/write-similarity.js';
import { generatedClass } from '../workloads/similarity-class.js';

/**
 * The similarity index (issue 15, `npm run grade -- --similarity`) over generated classes of the full
 * course (bench/workloads/similarity-class.ts: the reference and the bugged variants), at growing
 * class sizes: seconds for the index alone (in memory, every exercise) and, at the largest size,
 * for the whole `--similarity` step (reading the submissions from disk, the index, similarity.html
 * and .json). Two classes: `variants` (students hand in the same texts, as copies do) and `distinct`
 * (every file of every student differs: every pair is compared). Runs only when named:
 * `npm run bench -- similarity`.
 */
export const runByDefault = false;

const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function* similaritySuite(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const sizes = options.quick ? [10, 20] : [50, 100, 200, 300];
  const given = givenCode(
    kitRoot,
    course.exercises.flatMap((e) => e.components),
  );
  for (const distinct of [false, true]) {
    for (const students of sizes) {
      const submissions = generatedClass(kitRoot, students, { distinct });
      const cpu = process.cpuUsage();
      const started = performance.now();
      const result = findSimilarity(submissions, course.exercises, given, DEFAULT_SIMILARITY_SETTINGS);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      yield {
        name: `index-${distinct ? 'distinct' : 'variants'}-${students}`,
        students,
        components: result.components.length,
        files_per_student: submissions[0].files.size,
        distinct_codes_mean: Number(
          (result.components.reduce((t, c) => t + c.distinct, 0) / result.components.length).toFixed(1),
        ),
        pairs_compared: result.components.reduce((t, c) => t + c.pairsCompared, 0),
        flagged_pairs: result.components.reduce((t, c) => t + c.flaggedPairs, 0),
        wall_seconds: Number(seconds.toFixed(2)),
        cpu_seconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
        heap_mib: Math.round(process.memoryUsage().heapUsed / 1048576),
      };
    }
  }
  // The whole step as the CLI runs it, at the largest size of the worst class.
  const students = sizes[sizes.length - 1];
  const root = mkdtempSync(path.join(tmpdir(), 'dlkit-bench-similarity-'));
  try {
    const folder = path.join(root, 'submissions');
    for (const submission of generatedClass(kitRoot, students, { distinct: true })) {
      for (const [file, text] of submission.files) {
        const target = path.join(folder, submission.id, 'exercises', file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
      }
    }
    const started = performance.now();
    const { result } = await writeSimilarity({ kitRoot, submissions: folder, out: path.join(root, 'out') });
    yield {
      name: `cli-step-distinct-${students}`,
      students: result.submissions.length,
      wall_seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
