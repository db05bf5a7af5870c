import { compareData, type Mismatch } from './compare.js';
import { bundleCases, type CompileError } from './sandbox/bundle.js';
import { runCaseProcess, type CaseProcessEnd } from './sandbox/case-process.js';
import type { Isolation } from './sandbox/isolation.js';
import type { ErrorData } from './sandbox/protocol.js';
import type { GradingPlan, PlannedCase, PlannedComponent } from './plan.js';
import type { Submission } from './submissions/load.js';
import type { CaseReport, CaseStatus } from './report/report-types.js';

/**
 * Grades one submission: for each component, one bundle (its case files + the student's files) run in
 * sandboxed processes. Every case starts as "not run"; it scores only when the orchestrator's own
 * comparison of the returned data with the reference passes. A timeout or crash settles the case that
 * was running and a fresh process carries on with the rest; nothing a submission does stops the batch.
 */
export interface Limits {
  readonly memoryBytes: number;
  /** One case (restarted by every frame the process sends). */
  readonly caseTimeoutMs: number;
  /** All the cases of one component (one "test file"). */
  readonly fileTimeoutMs: number;
  /** The whole submission. */
  readonly submissionTimeoutMs: number;
}

export interface ComponentOutcome {
  readonly planned: PlannedComponent;
  readonly cases: readonly CaseReport[];
}

export interface SubmissionOutcome {
  readonly components: readonly ComponentOutcome[];
  /** Instructor-only log: what each process printed (never scored, never shown to students). */
  readonly log: string;
}

const SMALL_VALUE_CHARACTERS = 300;

export async function gradeSubmission(submission: Submission, plan: GradingPlan, isolation: Isolation, limits: Limits): Promise<SubmissionOutcome> {
  const deadline = Date.now() + limits.submissionTimeoutMs;
  const components: ComponentOutcome[] = [];
  const log: string[] = [];
  for (const planned of plan.components) {
    if (planned.cases.length === 0) {
      components.push({ planned, cases: [] });
      continue;
    }
    // One process runs a component's public cases, then its hidden ones (the runner keeps that order;
    // the orchestrator refuses a public case after a hidden one has started), so nothing a submission
    // saw in a hidden case can come back in the shown message of a public case.
    const cases = await gradeGroup(submission, planned, planned.cases, planned.caseFiles.map((f) => f.file), plan, isolation, limits, deadline, log);
    components.push({ planned, cases });
  }
  return { components, log: log.join('\n') };
}

type Settled = Omit<CaseReport, 'id' | 'title' | 'visibility' | 'possible'>;

function settledAs(status: Exclude<CaseStatus, 'passed'>, reason: string): Settled {
  return { earned: 0, status, reason };
}

async function gradeGroup(
  submission: Submission,
  planned: PlannedComponent,
  group: readonly PlannedCase[],
  caseFiles: readonly string[],
  plan: GradingPlan,
  isolation: Isolation,
  limits: Limits,
  deadline: number,
  log: string[],
): Promise<CaseReport[]> {
  const settled = new Map<string, Settled>();
  const byId = new Map(group.map((c) => [c.id, c]));
  const handout = planned.component.handout;
  const finish = (): CaseReport[] =>
    group.map((c) => ({
      id: c.id,
      title: c.title,
      visibility: c.visibility,
      possible: round(c.possible),
      ...(settled.get(c.id) ?? settledAs('not-run', 'not run')),
    }));
  const settleRest = (status: Exclude<CaseStatus, 'passed'>, reason: string): void => {
    for (const c of group) if (!settled.has(c.id)) settled.set(c.id, settledAs(status, reason));
  };

  const missing = planned.component.files.filter((file) => !submission.files.has(file));
  if (missing.length > 0) {
    settleRest('not-submitted', `the submission has no ${missing.map((f) => `exercises/${f}`).join(', ')}`);
    return finish();
  }
  const bundle = await bundleCases(plan.kitRoot, caseFiles, { kind: 'memory', files: submission.files });
  if (!bundle.ok) {
    settleRest('does-not-compile', `does not compile: ${describeCompileErrors(bundle.errors)}`);
    return finish();
  }

  // One process after another until every case is settled; each new one skips the settled cases.
  const fileDeadline = Date.now() + limits.fileTimeoutMs;
  const fileTimeUp = `not run: this component's tests used up their time limit (${limits.fileTimeoutMs / 1000} s)`;
  for (let attempt = 0; attempt <= group.length && settled.size < group.length; attempt++) {
    if (Date.now() >= deadline) {
      settleRest('not-run', `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
      break;
    }
    if (Date.now() >= fileDeadline) {
      settleRest('not-run', fileTimeUp);
      break;
    }
    let current: string | undefined;
    let hiddenStarted = false;
    let done = false;
    let loadError: ErrorData | undefined;
    const before = settled.size;
    const settle = (id: string, outcome: Settled): void => {
      if (!settled.has(id)) settled.set(id, outcome);
    };
    const run = runCaseProcess({
      code: bundle.code,
      config: { seed: plan.seed, skip: [...settled.keys()] },
      isolation,
      memoryBytes: limits.memoryBytes,
      caseTimeoutMs: limits.caseTimeoutMs,
      deadline,
      fileDeadline,
      onFrame: (frame) => {
        const f = frame as { t?: unknown; id?: unknown; data?: unknown; error?: unknown };
        const id = typeof f.id === 'string' ? f.id : undefined;
        switch (f.t) {
          case 'start': {
            const started = id === undefined ? undefined : byId.get(id);
            if (started?.visibility === 'hidden') hiddenStarted = true;
            // A public case after a hidden one is not the runner's order: ignore it (it stays unsettled).
            current = started && !(started.visibility === 'public' && hiddenStarted) ? id : undefined;
            break;
          }
          case 'result':
            if (id !== undefined && id === current) settle(id, judge(byId.get(id) as PlannedCase, f.data));
            else if (id !== undefined && byId.get(id)?.visibility === 'public' && !settled.has(id) && !hiddenStarted) {
              settle(id, settledAs('error', 'a result arrived for a test that was not running (tampering with the grader channel)'));
            }
            break;
          case 'error':
            if (id !== undefined && id === current) settle(id, fromError(byId.get(id) as PlannedCase, asErrorData(f.error), handout));
            break;
          case 'load-error':
            loadError = asErrorData(f.error);
            break;
          case 'done':
            done = true;
            break;
          default:
            break; // 'hello' from a student process is not trusted for anything
        }
      },
    });
    const end = await run.done;
    if (end.output.trim()) log.push(`--- ${planned.exercise.id} ${planned.component.name} (process ${attempt + 1}) ---\n${end.output.trim()}`);
    if (loadError) {
      // Loading happens before any case runs, so its message carries nothing from a hidden case.
      settleRest('error', `the code failed while loading: ${loadError.name}: ${loadError.message}`);
      break;
    }
    if (current !== undefined && !settled.has(current)) {
      settled.set(current, fromEnd(byId.get(current), end, limits));
    }
    if (settled.size === before) {
      // No progress: the process ends before its first case (it exits, crashes or hangs while loading).
      if (end.killed?.reason === 'case-timeout') settleRest('timeout', `timed out while loading the code (${describeEnd(end, limits)}): a top-level loop or a promise that never settles?`);
      else if (end.killed?.reason === 'file-timeout') settleRest('not-run', fileTimeUp);
      else if (end.killed?.reason === 'submission-timeout') settleRest('not-run', `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
      else settleRest('crashed', `the process ended before this test ran (${describeEnd(end, limits)})`);
      break;
    }
    if (end.killed?.reason === 'submission-timeout') {
      settleRest('not-run', `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
      break;
    }
    if (end.killed?.reason === 'file-timeout') {
      settleRest('not-run', fileTimeUp);
      break;
    }
    if (done && settled.size < group.length) {
      settleRest('not-run', 'not run: the process said it had finished without running this test (tampering?)');
      break;
    }
  }
  return finish();
}

function describeCompileErrors(errors: readonly CompileError[]): string {
  const shown = errors.slice(0, 3).map((e) => (e.file ? `${e.file}:${e.line}:${e.column}: ${e.message}` : e.message));
  return shown.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
}

function asErrorData(value: unknown): ErrorData {
  const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' ? v.slice(0, 2000) : fallback);
  const notImplemented = record.notImplemented !== null && typeof record.notImplemented === 'object' ? (record.notImplemented as Record<string, unknown>) : undefined;
  return {
    name: text(record.name, 'Error'),
    message: text(record.message, ''),
    ...(notImplemented
      ? { notImplemented: { exercise: text(notImplemented.exercise, ''), component: text(notImplemented.component, ''), handout: text(notImplemented.handout, '') } }
      : {}),
  };
}

/** The orchestrator's comparison: the only way a case earns points. */
function judge(planned: PlannedCase, received: unknown): Settled {
  const verdict = compareData(received, planned.expected, planned.comparison);
  const metric = verdict.metric === undefined ? {} : { metric: verdict.metric };
  if (verdict.pass) return { earned: round(planned.possible), status: 'passed', reason: '', ...metric };
  const { mismatch } = verdict;
  if (planned.visibility === 'hidden') {
    // Never the hidden inputs, values or sizes: only what kind of difference.
    return { earned: 0, status: 'wrong', reason: hiddenReasons[mismatch.kind], ...metric };
  }
  const expected = small(mismatch.expected);
  const shown = small(mismatch.received);
  return {
    earned: 0,
    status: 'wrong',
    reason: `wrong result${mismatch.path ? ` at ${mismatch.path}` : ''}: ${mismatch.reason}`,
    detail: { path: mismatch.path, ...(expected !== undefined ? { expected } : {}), ...(shown !== undefined ? { received: shown } : {}) },
    ...metric,
  };
}

function small(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  return text !== undefined && text.length <= SMALL_VALUE_CHARACTERS ? text : undefined;
}

const hiddenReasons: Record<Mismatch['kind'], string> = {
  type: 'wrong result: a value of the wrong type',
  shape: 'wrong result: an output or gradient has the wrong shape',
  length: 'wrong result: the wrong number of values',
  keys: 'wrong result: the wrong set of outputs',
  nan: 'wrong result: NaN where a number was expected',
  value: 'wrong result: values differ from the reference beyond the tolerance',
};

/** An error class name is shown for hidden tests only when it looks like one (it is the student's text). */
function safeErrorName(name: string): string {
  return /^[A-Z][A-Za-z]{0,40}$/.test(name) ? name : 'an error';
}

function fromError(planned: PlannedCase, error: ErrorData, handout: string): Settled {
  const hidden = planned.visibility === 'hidden';
  if (error.notImplemented) {
    // The component named by the stub is the student's text; the handout link comes from the manifest.
    const component = hidden ? '' : ` (${error.notImplemented.component})`;
    return settledAs('not-implemented', `not implemented yet${component}: read ${handout}`);
  }
  if (error.name === 'NotDataError') return settledAs('wrong', hidden ? 'returned something that is not plain data (a Proxy, a getter, a class instance or the wrong type)' : `returned something that is not data: ${error.message}`);
  if (hidden) return settledAs('error', `threw ${safeErrorName(error.name)} (hidden test: the message is withheld; run the public tests to reproduce)`);
  return settledAs('error', `threw ${error.name}: ${error.message}`);
}

function describeEnd(end: CaseProcessEnd, limits: Limits): string {
  if (end.killed?.reason === 'case-timeout') return `timed out after ${limits.caseTimeoutMs / 1000} s`;
  if (end.killed) return `stopped: ${end.killed.detail}`;
  if (end.signal) return `killed by ${end.signal}${end.signal === 'SIGABRT' || end.signal === 'SIGSEGV' ? ' (out of memory?)' : ''}`;
  if (end.code === 134) return 'aborted, most likely out of memory';
  return `the process exited with code ${end.code}`;
}

function fromEnd(planned: PlannedCase | undefined, end: CaseProcessEnd, limits: Limits): Settled {
  if (end.killed?.reason === 'case-timeout') {
    return settledAs('timeout', `timed out: no result within ${limits.caseTimeoutMs / 1000} s (an infinite loop, a promise that never settles, or far too slow)`);
  }
  if (end.killed?.reason === 'submission-timeout') return settledAs('timeout', `timed out: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
  if (end.killed?.reason === 'file-timeout') return settledAs('timeout', `timed out: this component's tests used up their time limit (${limits.fileTimeoutMs / 1000} s)`);
  if (end.killed?.reason === 'channel') return settledAs('crashed', `the process was stopped: ${end.killed.detail}`);
  const outOfMemory = end.code === 134 || end.signal === 'SIGABRT' || /out of memory|allocation failed/i.test(end.output);
  if (outOfMemory) return settledAs('crashed', `ran out of memory (limit ${Math.round(limits.memoryBytes / 1048576)} MiB) during this test`);
  void planned;
  return settledAs('crashed', `the process ended during this test (${describeEnd(end, limits)}); does the code call process.exit or throw from a timer?`);
}

export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
