import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, defaultJobs, gradeBatch, type BatchOptions } from '../../grader/batch.js';
import { buildSamples } from '../../grader/samples/build-samples.js';

/**
 * Grader throughput (issue 5): grades N copies of the reference submission, then a mixed class (the
 * reference, the stubs, a half-done student, one that does not compile, two hostile ones, one that
 * allocates without bound), with the grader's default limits and one job per core. Records seconds
 * per submission and submissions per minute (wall clock, the whole batch: reference run, bundling,
 * sandboxed processes, reports). Runs only when named: `npm run bench -- grader`.
 */
export const runByDefault = false;

const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mixed = [
  'reference',
  'stubs',
  'half-done',
  'does-not-compile',
  'hostile-nan',
  'hostile-proxy-tensor',
  'memory-hog',
];

function copies(from: string, names: readonly string[], count: number, into: string): void {
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length];
    const zip = path.join(from, `${name}.zip`);
    const target = path.join(into, `${String(i).padStart(3, '0')}-${name}`);
    if (existsSync(zip)) cpSync(zip, `${target}.zip`);
    else cpSync(path.join(from, name), target, { recursive: true });
  }
}

export default async function* graderSuite(options: { quick: boolean }): AsyncGenerator<Record<string, unknown>> {
  const root = mkdtempSync(path.join(tmpdir(), 'dlkit-bench-grader-'));
  try {
    const samples = await buildSamples(kitRoot, path.join(root, 'samples'));
    const count = options.quick ? 4 : 24;
    for (const [name, names] of [
      ['reference-class', ['reference']],
      ['mixed-class', mixed],
    ] as const) {
      const submissions = path.join(root, name);
      copies(samples, names, count, submissions);
      process.stderr.write(`grader: grading ${readdirSync(submissions).length} submissions (${name})\n`);
      // The reference outputs are computed once per seed and cached; time the batch with a warm cache,
      // as a real course (many students, one reference run) sees it, and report the cold start apart.
      const out = path.join(root, `${name}-out`);
      const batch: BatchOptions = {
        kitRoot,
        submissions,
        out,
        seed: 1,
        resume: false,
        jobs: defaultJobs(),
        limits: DEFAULT_LIMITS,
        gradescope: false,
        handoutBase: '',
      };
      const cold = Date.now();
      await gradeBatch({ ...batch, only: [readdirSync(submissions)[0].replace(/\.zip$/, '')] });
      const coldSeconds = (Date.now() - cold) / 1000;
      const result = await gradeBatch(batch);
      const seconds = result.seconds;
      yield {
        name,
        submissions: result.reports.length,
        jobs: defaultJobs(),
        cores: availableParallelism(),
        sandbox: result.isolation.mode,
        wall_seconds: Number(seconds.toFixed(2)),
        seconds_per_submission: Number((seconds / result.reports.length).toFixed(3)),
        submissions_per_minute: Number(((60 * result.reports.length) / seconds).toFixed(1)),
        first_submission_cold_seconds: Number(coldSeconds.toFixed(2)),
        mean_percent: Number(
          (result.reports.reduce((total, r) => total + r.total.percent, 0) / result.reports.length).toFixed(1),
        ),
      };
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
