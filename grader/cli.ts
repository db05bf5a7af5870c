import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { checkOutputFolder, checkSubmissionsFolder } from './batch-inputs.js';
import { DEFAULT_LIMITS, defaultJobs, gradeBatch, type BatchOptions, type BatchResult } from './batch.js';
import type { Limits } from './grade-submission.js';
import { GraderSetupError } from './plan.js';
import { writeSimilarity } from './similarity/write-similarity.js';
import { consoleName, inertLines } from './report/inert-text.js';
import { formatNumber } from './report/render.js';
import type { Report } from './report/report-types.js';
import type { SimilarityResult } from './similarity/similarity-types.js';

/**
 * `npm run grade -- <submissions> --out <dir>`: grades a folder of submissions (one folder or .zip per
 * student) and writes a report per student plus gradebook.csv and summary.html. See docs/grader.md.
 */
const usage = `Usage: npm run grade -- <submissions folder> [--out <dir>] [options]

  --out <dir>                  where reports go (default: grade-output)
  --only <student>             grade only this submission (repeatable)
  --exercise <id>              grade only this exercise (repeatable)
  --resume                     keep the finished reports of an interrupted run in --out, grade the rest
  --seed <n>                   seed of the hidden tests' random inputs (recorded in each report)
  --jobs <n>                   submissions graded at once (default: the number of cores)
  --format gradescope          also write a Gradescope results.json per student
  --case-timeout <seconds>     per test (default ${DEFAULT_LIMITS.caseTimeoutMs / 1000})
  --file-timeout <seconds>     per component's tests (default ${DEFAULT_LIMITS.fileTimeoutMs / 1000})
  --submission-timeout <s>     per submission (default ${DEFAULT_LIMITS.submissionTimeoutMs / 1000})
  --memory <MiB>               per test process (default ${DEFAULT_LIMITS.memoryBytes / 1048576})
  --submitted-at <csv>         LMS submission times: lines of "student,ISO time" (late policy)
  --handout-base <url>         where the handouts are published (links in the reports)
  --allow-weak-isolation       grade even where bubblewrap cannot give submissions PID and mount
                               namespaces (a throwaway VM or container only): files and processes are
                               capped with prlimit and every report says so
  --similarity                 also write similarity.html and similarity.json: which submissions share
                               code beyond the stubs, per component (docs/grader.md, "Similarity");
                               alone over an output folder: npm run similarity -- <submissions> --out <dir>
  --similarity-threshold <x>   flag pairs whose similarity is at least x, in (0, 1] (default 0.6)
  --quiet                      no progress bar and no table

With no submissions folder, grades the bundled samples (grader/samples) into grade-output/.`;

/** The bundled samples include infinite loops: shorter limits keep the main-job demo quick. */
const SAMPLE_CASE_TIMEOUT_S = 3;
const SAMPLE_FILE_TIMEOUT_S = 6;

export const kitRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function positiveNumber(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new GraderSetupError(`${flag} expects a positive number, got '${text}'`);
  return value;
}

/** The command line's options, as `node:util`'s parseArgs reads them. */
const OPTIONS = {
  out: { type: 'string' },
  only: { type: 'string', multiple: true },
  exercise: { type: 'string', multiple: true },
  resume: { type: 'boolean', default: false },
  seed: { type: 'string' },
  jobs: { type: 'string' },
  format: { type: 'string' },
  'case-timeout': { type: 'string' },
  'file-timeout': { type: 'string' },
  'submission-timeout': { type: 'string' },
  memory: { type: 'string' },
  'submitted-at': { type: 'string' },
  'handout-base': { type: 'string', default: '' },
  'allow-weak-isolation': { type: 'boolean', default: false },
  similarity: { type: 'boolean', default: false },
  'similarity-threshold': { type: 'string' },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

type CommandLine = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof OPTIONS }>
>['values'];

/**
 * The CLI, step by step: read the options → find the submissions (or build the samples) → check the
 * options that can refuse the run → grade the batch (batch.ts: plan, every submission, the class
 * outputs) with a progress bar → print the table → optionally the similarity report.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const out = checkFolderArguments(positionals, values.out, usage);
  const { submissions, gradingSamples } = await submissionsFolder(positionals[0], out);
  checkSubmissionsFolder(submissions);
  if (values.format !== undefined && values.format !== 'gradescope')
    throw new GraderSetupError(`--format: only 'gradescope' is supported, got '${values.format}'`);
  const similarityThreshold = thresholdOption(values['similarity-threshold']);
  const seed = seedOption(values.seed);

  const progress = progressDisplay(values.quiet);
  const result = await gradeBatch({
    kitRoot,
    submissions: path.resolve(submissions),
    out,
    seed,
    only: values.only,
    exercises: values.exercise,
    resume: values.resume,
    jobs: Math.floor(positiveNumber(values.jobs, '--jobs', defaultJobs())),
    limits: limitOptions(values, gradingSamples),
    gradescope: values.format === 'gradescope',
    handoutBase: values['handout-base'] ?? '',
    submittedAtFile: values['submitted-at'],
    allowWeakIsolation: values['allow-weak-isolation'],
    ...progress.callbacks,
  });
  progress.stop();
  if (!values.quiet) console.log(summaryTable(result, out));
  if (values.similarity) await similarityAfterGrading(values, path.resolve(submissions), out, similarityThreshold);
  return 0;
}

/** The folder named on the command line, or with none the bundled samples, built under `out`. */
async function submissionsFolder(
  named: string | undefined,
  out: string,
): Promise<{ submissions: string; gradingSamples: boolean }> {
  if (named !== undefined) return { submissions: named, gradingSamples: false };
  const { buildSamples } = await import('./samples/build-samples.js');
  const submissions = await buildSamples(kitRoot, path.join(out, 'sample-submissions'));
  console.log(`Grading the bundled sample submissions (${path.relative(process.cwd(), submissions)}).`);
  return { submissions, gradingSamples: true };
}

/** `--seed`: an integer in [0, 2^32), or none (the batch draws one). */
function seedOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new GraderSetupError(`--seed expects an integer in [0, 2^32), got '${text}'`);
  return seed;
}

/** The time and memory limits from their options (the samples, with their infinite loops, get shorter defaults). */
function limitOptions(values: CommandLine, gradingSamples: boolean): Limits {
  return {
    memoryBytes: Math.floor(positiveNumber(values.memory, '--memory', DEFAULT_LIMITS.memoryBytes / 1048576) * 1048576),
    caseTimeoutMs:
      positiveNumber(
        values['case-timeout'],
        '--case-timeout',
        gradingSamples ? SAMPLE_CASE_TIMEOUT_S : DEFAULT_LIMITS.caseTimeoutMs / 1000,
      ) * 1000,
    fileTimeoutMs:
      positiveNumber(
        values['file-timeout'],
        '--file-timeout',
        gradingSamples ? SAMPLE_FILE_TIMEOUT_S : DEFAULT_LIMITS.fileTimeoutMs / 1000,
      ) * 1000,
    submissionTimeoutMs:
      positiveNumber(values['submission-timeout'], '--submission-timeout', DEFAULT_LIMITS.submissionTimeoutMs / 1000) *
      1000,
  };
}

/**
 * What the console shows while a batch runs: a progress bar on a terminal, else a line per student
 * (nothing with --quiet). Every console line that may carry a student's name or message is made inert
 * (inert-text.ts): a student id must not clear the terminal or print a forged line.
 */
function progressDisplay(quiet: boolean): {
  callbacks: Pick<BatchOptions, 'onWarning' | 'onStart' | 'onStudentDone'>;
  stop: () => void;
} {
  const bar =
    !quiet && process.stderr.isTTY === true
      ? new cliProgress.SingleBar(
          {
            format: 'Grading [{bar}] {value}/{total} submissions · {student}',
            hideCursor: true,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  return {
    callbacks: {
      onWarning: (message) => {
        if (!quiet) console.error(`warning: ${inertLines(message).replace(/\n/g, '\n  ')}`);
      },
      onStart: (total, skipped) => {
        bar?.start(total, 0, { student: skipped > 0 ? `${skipped} already graded` : '' });
      },
      onStudentDone: (report, resumed) => {
        if (bar) bar.increment({ student: consoleName(report.student.id, 40) });
        else if (!quiet)
          console.error(
            `${resumed ? 'kept  ' : 'graded'} ${consoleName(report.student.id)}: ${formatNumber(report.total.final.earned)} / ${formatNumber(report.total.final.possible)}`,
          );
      },
    },
    stop: () => bar?.stop(),
  };
}

/** `--similarity`: similarity.html and similarity.json into the same output folder, and a closing line. */
async function similarityAfterGrading(
  values: CommandLine,
  submissions: string,
  out: string,
  threshold: number | undefined,
): Promise<void> {
  const similarity = await writeSimilarity({
    kitRoot,
    submissions,
    out,
    exercises: values.exercise,
    settings: threshold === undefined ? {} : { threshold },
    onWarning: (message) => {
      if (!values.quiet) console.error(`warning: ${inertLines(message)}`);
    },
  });
  if (!values.quiet) console.log(similarityLine(similarity.result, similarity.html));
}

/**
 * Checks the folder arguments that both grader commands, `grade` (this file) and `similarity`
 * (similarity/cli.ts), take: at most one submissions folder (more is a setup error that shows `usage`),
 * and `--out` (default grade-output) not a file. Returns `--out` resolved.
 */
export function checkFolderArguments(
  positionals: readonly string[],
  outOption: string | undefined,
  usage: string,
): string {
  if (positionals.length > 1)
    throw new GraderSetupError(`expected one submissions folder, got ${positionals.length}\n\n${usage}`);
  const out = path.resolve(outOption ?? 'grade-output');
  checkOutputFolder(out);
  return out;
}

/**
 * Runs a grader command's `main` when its module is the script node was started with (`tsx <module>`),
 * and nothing when it is imported (by the tests, or by another command). `main`'s number is the exit
 * code. A setup problem (a `GraderSetupError`, or an option `node:util`'s parseArgs refuses) prints
 * `<command>: <message>` on stderr and exits 2: nothing was done. Anything else is a bug of the grader:
 * the error with its stack, exit 1.
 */
export function runWhenInvoked(
  moduleUrl: string,
  command: string,
  main: (argv: readonly string[]) => Promise<number>,
): void {
  const script = process.argv[1];
  if (script === undefined || path.resolve(script) !== fileURLToPath(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (
        error instanceof GraderSetupError ||
        (error instanceof Error && error.name === 'TypeError' && /parseArgs|Unknown option/.test(error.message))
      ) {
        console.error(`${command}: ${inertLines(error.message)}`);
        process.exit(2);
      }
      console.error(error);
      process.exit(1);
    },
  );
}

/** `--similarity-threshold`: a share in (0, 1]. */
export function thresholdOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0 && value <= 1))
    throw new GraderSetupError(`--similarity-threshold expects a number in (0, 1], got '${text}'`);
  return value;
}

/** The closing line of a similarity run: how many pairs were flagged and where to read them. */
export function similarityLine(result: SimilarityResult, html: string): string {
  const flagged = result.components.reduce((total, c) => total + c.flaggedPairs, 0);
  const components = result.components.filter((c) => c.flaggedPairs > 0).length;
  return `Similarity: ${flagged} flagged pair${flagged === 1 ? '' : 's'} in ${components} component${components === 1 ? '' : 's'} (${result.submissions.length} submissions, ${result.seconds} s): ${html} (evidence to look at, not a verdict)`;
}

/** The closing table: one row per student, one column per exercise, then public, hidden and total. */
export function summaryTable(result: BatchResult, out: string): string {
  const exercises = result.plan.exercises.map((e) => e.id);
  const header = ['student', ...exercises, 'public', 'hidden', 'total', '%', 'problems'];
  const rows = result.reports.map((report: Report) => [
    printable(report.student.id),
    ...exercises.map((id) => formatNumber(report.exercises.find((e) => e.id === id)?.final.earned ?? 0)),
    formatNumber(report.total.public.earned),
    formatNumber(report.total.hidden.earned),
    `${formatNumber(report.total.final.earned)}/${formatNumber(report.total.final.possible)}`,
    formatNumber(report.total.percent),
    problems(report),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const perSubmission =
    result.reports.length > result.resumed.length
      ? result.seconds / (result.reports.length - result.resumed.length)
      : 0;
  return [
    '',
    line(header),
    line(header.map((_, i) => '-'.repeat(widths[i]))),
    ...rows.map(line),
    '',
    `${result.reports.length} submissions (${result.resumed.length} kept from an earlier run) in ${result.seconds.toFixed(1)} s${perSubmission ? ` (${perSubmission.toFixed(2)} s per graded submission)` : ''}; seed ${result.plan.seed}; sandbox: ${result.isolation.mode}${result.isolation.weakCaps ? ' (WEAK isolation, accepted with --allow-weak-isolation)' : ''}.`,
    `Reports: ${path.join(out, 'students', '<student>', 'report.html')} · gradebook: ${path.join(out, 'gradebook.csv')} · summary: ${path.join(out, 'summary.html')}`,
  ].join('\n');
}

/** Control characters and over-long names would garble the terminal. */
function printable(text: string): string {
  return consoleName(text, 32);
}

function problems(report: Report): string {
  const counts = new Map<string, number>();
  for (const exercise of report.exercises) {
    for (const component of exercise.components) {
      for (const c of component.cases) if (c.status !== 'passed') counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    }
  }
  return [...counts].map(([status, n]) => `${status}×${n}`).join(' ');
}

runWhenInvoked(import.meta.url, 'grade', main);
