import { createHash, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { checkOutputFolder, checkSubmissionsFolder, readSubmissionTimes } from './batch-inputs.js';
import { graderCacheFolder } from './checks/cache-folder.js';
import { checkChallengeData, gradeChallenges, type ChallengesOutcome } from './challenge/grade-challenges.js';
import { gradeSubmission, type Limits, type SubmissionOutcome } from './grade-submission.js';
import { buildPlan, GraderSetupError, type GradingPlan } from './plan.js';
import { runInLanes } from './run-in-lanes.js';
import { buildReport, type SubmissionTime } from './report/build-report.js';
import { gradebookCsv, gradescopeResults, summaryHtml } from './report/class-outputs.js';
import { renderHtml, renderMarkdown } from './report/render.js';
import { isValidReport, reportErrors } from './report/validate-report.js';
import { inertLines, inertText } from './report/inert-text.js';
import { availableIsolation, type Isolation } from './sandbox/isolation.js';
import { IsolationRefused, requireIsolation } from './sandbox/weak-isolation.js';
import { everyCaseSettled } from './settled-outcome.js';
import { outputCollisions } from './submissions/collisions.js';
import { SubmissionUnreadable } from './submissions/limits.js';
import { discoverSubmissions, loadSubmission, type Submission, type SubmissionEntry } from './submissions/load.js';
import type { Report } from './report/report-types.js';

/**
 * A batch: discover the submissions, build the plan (reference outputs), grade up to `jobs` submissions
 * at once, write each student's outputs (report.json last, atomically, so an interrupted run leaves no
 * half report that --resume would trust), then the class outputs.
 */
export interface BatchOptions {
  readonly kitRoot: string;
  readonly submissions: string;
  readonly out: string;
  readonly seed?: number;
  readonly only?: readonly string[];
  readonly exercises?: readonly string[];
  readonly resume: boolean;
  readonly jobs: number;
  readonly limits: Limits;
  readonly gradescope: boolean;
  readonly handoutBase: string;
  /** CSV of `student,ISO time` from the LMS; beats submission.json's own timestamp. */
  readonly submittedAtFile?: string;
  /** Grade even without bubblewrap's PID and mount namespaces, with file and process caps (weak-isolation.ts). */
  readonly allowWeakIsolation?: boolean;
  /** Progress callbacks (the CLI draws a bar; tests stay quiet). */
  readonly onStart?: (total: number, skipped: number) => void;
  readonly onStudentDone?: (report: Report, resumed: boolean) => void;
  readonly onWarning?: (message: string) => void;
}

export interface BatchResult {
  readonly plan: GradingPlan;
  readonly isolation: Isolation;
  readonly reports: readonly Report[];
  readonly resumed: readonly string[];
  readonly skipped: readonly string[];
  readonly seconds: number;
}

export const DEFAULT_LIMITS: Limits = {
  memoryBytes: 1024 * 1024 * 1024,
  caseTimeoutMs: 10_000,
  fileTimeoutMs: 60_000,
  submissionTimeoutMs: 600_000,
};

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** A folder name for the student's outputs: the id where it is safe, else a cleaned id plus a hash. */
export function outputFolderName(id: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/.test(id)) return id;
  const cleaned =
    id
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._-]+/, '')
      .slice(0, 60) || 'student';
  return `${cleaned}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
}

function writeAtomically(file: string, contents: string): void {
  writeFileSync(`${file}.partial`, contents);
  renameSync(`${file}.partial`, file);
}

interface RunRecord {
  readonly seed: number;
  readonly fingerprint: string;
}

/**
 * What every submission of a batch is graded and written with, passed down instead of loose
 * parameters: the instructor's options, the plan, the sandbox, and the LMS's submission times.
 */
interface Batch {
  readonly options: BatchOptions;
  readonly plan: GradingPlan;
  readonly isolation: Isolation;
  /** Student id → when the LMS says the submission came in (--submitted-at). */
  readonly times: ReadonlyMap<string, Date>;
  /** How many of a submission's sandboxed processes may run at once (`gradeSubmission`). */
  readonly lanes: number;
}

/** One submission on its way to its outputs: what was read, and what grading it gave. */
interface Graded {
  readonly entry: SubmissionEntry;
  readonly submission: Submission;
  readonly outcome: SubmissionOutcome;
  /** The challenge's hidden-test results; absent when the submission could not be graded. */
  readonly challenges?: ChallengesOutcome;
}

export async function gradeBatch(options: BatchOptions): Promise<BatchResult> {
  const started = Date.now();
  // Everything that can refuse the batch is checked before anything is graded or written.
  checkSubmissionsFolder(options.submissions);
  checkOutputFolder(options.out);
  const times = readSubmissionTimes(options.submittedAtFile);
  const discovered = discoverSubmissions(options.submissions);
  const entries = entriesToGrade(options, discovered.entries);
  const isolation = isolationFor(options);

  mkdirSync(options.out, { recursive: true });
  const runFile = path.join(options.out, 'run.json');
  const previous = previousRun(options, runFile);
  const seed = previous?.seed ?? options.seed ?? randomInt(2 ** 31);
  const plan = await buildPlan({
    kitRoot: options.kitRoot,
    seed,
    exercises: options.exercises,
    cacheDirectory: graderCacheFolder(options.kitRoot),
  });
  if (previous && previous.fingerprint !== plan.fingerprint) {
    options.onWarning?.(
      `the grader's cases or solutions changed since this run started (fingerprint ${previous.fingerprint} → ${plan.fingerprint}): every submission is graded again`,
    );
  }
  checkChallengeData(plan);
  writeAtomically(runFile, `${JSON.stringify({ seed, fingerprint: plan.fingerprint } satisfies RunRecord, null, 2)}\n`);
  for (const warning of plan.warnings) options.onWarning?.(warning);
  for (const warning of isolation.warnings) options.onWarning?.(`sandbox: ${warning}`);
  for (const name of discovered.skipped) options.onWarning?.(`skipped ${name}: a submission is a folder or a .zip`);

  const { reports, resumed, pending } = await keptFromEarlierRun({ options, plan }, entries);
  // Fewer submissions than jobs (one student's regrade, a Gradescope container): the spare jobs run a
  // submission's processes side by side instead of idling.
  const lanes = Math.max(1, Math.floor(options.jobs / Math.max(1, pending.length)));
  const batch: Batch = { options, plan, isolation, times, lanes };
  options.onStart?.(entries.length, resumed.length);
  for (const id of resumed) options.onStudentDone?.(reports.get(id) as Report, true);

  // Up to `jobs` submissions at once, each taking the next pending one when it is done.
  await runInLanes(pending, options.jobs, async (entry) => {
    const report = await gradeGuarded(batch, entry);
    reports.set(entry.id, report);
    options.onStudentDone?.(report, false);
  });

  const ordered = entries.map((e) => reports.get(e.id) as Report);
  if (ordered.length > 0) {
    writeAtomically(path.join(options.out, 'gradebook.csv'), gradebookCsv(ordered));
    writeAtomically(path.join(options.out, 'summary.html'), summaryHtml(ordered));
  }
  return {
    plan,
    isolation,
    reports: ordered,
    resumed,
    skipped: discovered.skipped,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The discovered submissions, or those `--only` names (an unknown name refuses the batch); two that would share outputs refuse it too. */
function entriesToGrade(options: BatchOptions, discovered: readonly SubmissionEntry[]): readonly SubmissionEntry[] {
  let entries = discovered;
  if (options.only && options.only.length > 0) {
    const unknown = options.only.filter((id) => !entries.some((e) => e.id === id));
    if (unknown.length > 0)
      throw new GraderSetupError(`--only: no submission named ${unknown.join(', ')} in ${options.submissions}`);
    entries = entries.filter((e) => options.only?.includes(e.id));
  }
  const clashes = outputCollisions(entries, outputFolderName);
  if (clashes.length > 0) {
    throw new GraderSetupError(
      `nothing was graded: these submissions would share one student's outputs and gradebook row; rename one of each pair:\n  ${clashes.join('\n  ')}`,
    );
  }
  return entries;
}

/** The sandbox this machine gives submissions: bubblewrap, or weaker only with `--allow-weak-isolation`. */
function isolationFor(options: BatchOptions): Isolation {
  try {
    return requireIsolation(availableIsolation(), options.allowWeakIsolation === true);
  } catch (error) {
    if (error instanceof IsolationRefused) throw new GraderSetupError(error.message);
    throw error;
  }
}

/** With `--resume`, the run this one continues (its seed and fingerprint, from run.json); a different `--seed` refuses the batch. */
function previousRun(options: BatchOptions, runFile: string): RunRecord | undefined {
  const previous: RunRecord | undefined =
    options.resume && existsSync(runFile) ? (JSON.parse(readFileSync(runFile, 'utf8')) as RunRecord) : undefined;
  if (previous && options.seed !== undefined && options.seed !== previous.seed) {
    throw new GraderSetupError(
      `--resume continues the run with seed ${previous.seed}; drop --seed ${options.seed} or grade into a new --out folder`,
    );
  }
  return previous;
}

/** With `--resume`, the reports an earlier run finished for these same submissions (kept); the rest are pending. */
async function keptFromEarlierRun(
  batch: Pick<Batch, 'options' | 'plan'>,
  entries: readonly SubmissionEntry[],
): Promise<{ reports: Map<string, Report>; resumed: string[]; pending: SubmissionEntry[] }> {
  const reports = new Map<string, Report>();
  const resumed: string[] = [];
  const pending: SubmissionEntry[] = [];
  for (const entry of entries) {
    const existing = batch.options.resume ? await completedReport(batch, entry) : undefined;
    if (existing) {
      reports.set(entry.id, existing);
      resumed.push(entry.id);
    } else {
      pending.push(entry);
    }
  }
  return { reports, resumed, pending };
}

function studentFolder(options: BatchOptions, id: string): string {
  return path.join(options.out, 'students', outputFolderName(id));
}

/**
 * A finished, valid report from this same run (seed and fingerprint) of this same submission (its
 * content hash: a student who resubmitted is graded again), with its companions on disk.
 */
async function completedReport(
  { options, plan }: Pick<Batch, 'options' | 'plan'>,
  entry: SubmissionEntry,
): Promise<Report | undefined> {
  const folder = studentFolder(options, entry.id);
  const file = path.join(folder, 'report.json');
  if (!existsSync(file)) return undefined;
  try {
    const report: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isValidReport(report)) return undefined;
    if (report.seed !== plan.seed || report.fingerprint !== plan.fingerprint || report.student.id !== entry.id)
      return undefined;
    const now = await loadSubmission(entry, plan.ownedFiles);
    if (report.student.contentSha256 === undefined || report.student.contentSha256 !== now.contentSha256)
      return undefined;
    const companions = ['report.html', 'report.md', ...(options.gradescope ? ['results.json'] : [])];
    if (!companions.every((name) => existsSync(path.join(folder, name)))) return undefined;
    return report;
  } catch {
    return undefined;
  }
}

/**
 * Grades one submission and writes its outputs; whatever goes wrong on the way (a submission the
 * grader cannot read, a grader bug that only this submission's data triggers) becomes that student's
 * report, never the end of the batch.
 */
async function gradeGuarded(batch: Batch, entry: SubmissionEntry): Promise<Report> {
  let submission: Submission;
  try {
    submission = await loadSubmission(entry, batch.plan.ownedFiles);
  } catch (error) {
    return finishUnreadable(batch, entry, error);
  }
  try {
    return await writeOutputs(batch, await gradeRead(batch, entry, submission));
  } catch (error) {
    return finishFailed(batch, { entry, submission }, error);
  }
}

/**
 * Runs a read submission's checks, then the challenge's hidden test set (grader/challenge/): a process
 * of its own, after the checks.
 */
async function gradeRead(
  { plan, isolation, options, lanes }: Batch,
  entry: SubmissionEntry,
  submission: Submission,
): Promise<Graded> {
  const outcome = await gradeSubmission(submission, plan, isolation, options.limits, lanes);
  const challenges = await gradeChallenges(submission, plan, isolation, options.limits);
  return { entry, submission, outcome, challenges };
}

/** A submission the grader could not read: warned about, and every check settled "not submitted" with the reason. */
async function finishUnreadable(batch: Batch, entry: SubmissionEntry, error: unknown): Promise<Report> {
  const why =
    error instanceof SubmissionUnreadable
      ? error.message
      : `it could not be read (${String((error as Error)?.message ?? error)})`;
  batch.options.onWarning?.(`${entry.id}: the submission could not be read: ${why}`);
  return finishGuarded(batch, {
    entry,
    submission: emptySubmission(entry, `unreadable: ${why}`),
    outcome: everyCaseSettled(batch.plan, 'not-submitted', `the submission could not be read: ${why}`),
  });
}

/**
 * A submission the grader failed on: the instructor gets the error, the student a report that says
 * whose fault it was.
 */
async function finishFailed(
  batch: Batch,
  { entry, submission }: Pick<Graded, 'entry' | 'submission'>,
  error: unknown,
): Promise<Report> {
  batch.options.onWarning?.(
    `${entry.id}: the grader failed on this submission (${String((error as Error)?.message ?? error).slice(0, 2000)}); its report says so and the batch goes on`,
  );
  return finishGuarded(batch, {
    entry,
    submission,
    outcome: everyCaseSettled(
      batch.plan,
      'error',
      "the grader failed on this submission (the grader's fault, not necessarily your code's): your instructor has the details",
    ),
  });
}

/** Writes a report for a submission that could not be graded; if even that fails, keeps it in memory for the gradebook. */
async function finishGuarded(batch: Batch, graded: Graded): Promise<Report> {
  try {
    return await writeOutputs(batch, graded);
  } catch (error) {
    batch.options.onWarning?.(
      `${graded.entry.id}: its report could not be written (${String((error as Error)?.message ?? error)}); it is in the gradebook only`,
    );
    return reportOf(batch, graded);
  }
}

function emptySubmission(entry: SubmissionEntry, reason: string): Submission {
  return {
    id: entry.id,
    source: entry.source,
    files: new Map(),
    accepted: [],
    ignored: [{ path: path.basename(entry.location), reason }],
    declared: undefined,
  };
}

/** When the submission came in: the LMS's time, else submission.json's own (self-reported), else unknown. */
function submissionTime(
  submission: Submission,
  entry: SubmissionEntry,
  times: ReadonlyMap<string, Date>,
): SubmissionTime {
  const declaredTime = submission.declared?.timestamp ? new Date(submission.declared.timestamp) : undefined;
  const lmsTime = times.get(entry.id);
  return lmsTime
    ? { time: lmsTime, source: 'lms' }
    : declaredTime && !Number.isNaN(declaredTime.getTime())
      ? { time: declaredTime, source: 'self-reported' }
      : { time: undefined, source: 'unknown' };
}

/** The student's report (build-report.ts) of a graded submission. */
function reportOf({ plan, isolation, options, times }: Batch, graded: Graded): Report {
  return buildReport({
    submission: graded.submission,
    plan,
    outcome: graded.outcome,
    isolation,
    limits: options.limits,
    submittedAt: submissionTime(graded.submission, graded.entry, times),
    challenges: graded.challenges?.reports,
  });
}

/** The student's report, refused when it does not match its schema (a grader bug, never the student's). */
function checkedReport(batch: Batch, graded: Graded): Report {
  const report = reportOf(batch, graded);
  const errors = reportErrors(report);
  if (errors.length > 0)
    throw new Error(
      `the report for ${inertText(graded.entry.id)} does not match its schema (a grader bug): ${errors.join('; ')}`,
    );
  return report;
}

/** Builds and checks the student's report and writes the student's outputs; returns the report for the gradebook. */
async function writeOutputs(batch: Batch, graded: Graded): Promise<Report> {
  const report = checkedReport(batch, graded);
  writeStudentFiles(batch.options, graded, report);
  return report;
}

/**
 * The student's folder: report.html, report.md, Gradescope's results.json, sandbox.log, and report.json
 * last (each written atomically, so --resume never trusts a half-written folder).
 */
function writeStudentFiles(options: BatchOptions, graded: Graded, report: Report): void {
  const folder = studentFolder(options, graded.entry.id);
  mkdirSync(folder, { recursive: true });
  const renderOptions = { handoutBase: options.handoutBase };
  writeAtomically(path.join(folder, 'report.html'), renderHtml(report, renderOptions));
  writeAtomically(path.join(folder, 'report.md'), renderMarkdown(report, renderOptions));
  if (options.gradescope)
    writeAtomically(path.join(folder, 'results.json'), `${JSON.stringify(gradescopeResults(report), null, 2)}\n`);
  // What the student's code printed, for the instructor: control characters made visible (inert-text.ts).
  const log = [graded.outcome.log, graded.challenges?.log ?? ''].filter((text) => text !== '').join('\n');
  writeAtomically(path.join(folder, 'sandbox.log'), log ? `${inertLines(log)}\n` : '');
  writeAtomically(path.join(folder, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
}
