import { PUBLIC_SEED } from '../tests/harness/seeds.js';
import { compareData } from './compare.js';
import { bundleChecks, type CompileError } from './sandbox/bundle.js';
import { runCaseProcess, type CaseProcessEnd } from './sandbox/case-process.js';
import type { Isolation } from './sandbox/isolation.js';
import type { ErrorData } from './sandbox/protocol.js';
import type { GradingPlan, PlannedCase, PlannedComponent } from './plan.js';
import type { Submission } from './submissions/load.js';
import type { CaseReport, CaseStatus } from './report/report-types.js';

/**
 * Grades one submission. For each exercise, two sandboxed processes (sandbox/runner.ts): one runs the
 * public checks of its components' test files, exactly as the student's `npm test` does, and a separate
 * one runs the hidden checks, so that nothing a submission saw of a hidden check can reach the shown
 * message of a public one. Every case starts as "not run"; it scores only when the orchestrator's own
 * `verify` of the returned data passes (and, for hidden cases, the comparison with the reference). A
 * timeout or crash settles the check that was running and a fresh process carries on with the rest;
 * nothing a submission does stops the batch.
 */
export interface Limits {
  readonly memoryBytes: number;
  /** One check (restarted by every frame the process sends). */
  readonly caseTimeoutMs: number;
  /** All the checks of one component (one test file); a group of components gets the sum. */
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

/** The longest failure message of a public check that a report keeps. */
const MAX_REASON_CHARACTERS = 1500;

/** How many times longer a WebGPU component's case and component time limits are (docs/grader.md, "WebGPU components"). */
export const WEBGPU_TIME_FACTOR = 3;

type Settled = Omit<CaseReport, 'id' | 'title' | 'visibility' | 'possible'>;

function settledAs(status: Exclude<CaseStatus, 'passed'>, reason: string): Settled {
  return { earned: 0, status, reason };
}

export async function gradeSubmission(submission: Submission, plan: GradingPlan, isolation: Isolation, limits: Limits): Promise<SubmissionOutcome> {
  const deadline = Date.now() + limits.submissionTimeoutMs;
  const settled = new Map<PlannedCase, Settled>();
  const log: string[] = [];
  for (const exercise of plan.exercises) {
    for (const visibility of ['public', 'hidden'] as const) {
      const members = plan.components.filter((c) => c.exercise === exercise && c.cases.some((x) => x.visibility === visibility));
      const runnable: PlannedComponent[] = [];
      for (const member of members) {
        const missing = member.component.files.filter((file) => !submission.files.has(file));
        if (missing.length === 0) runnable.push(member);
        else settleAll(settled, casesOf(member, visibility), settledAs('not-submitted', `the submission has no ${missing.map((f) => `exercises/${f}`).join(', ')}`));
      }
      // One process for the exercise's components, and one for each that asks to run alone.
      const together = runnable.filter((member) => !member.isolate);
      const groups = [
        ...(await compilingGroups(submission, plan, together, visibility, settled)),
        ...(await Promise.all(runnable.filter((member) => member.isolate).map((member) => compilingGroups(submission, plan, [member], visibility, settled)))).flat(),
      ];
      for (const group of groups) {
        const outcome = await runGroup(plan, group, visibility, isolation, limits, deadline, settled, log);
        if (outcome !== 'split') continue;
        // The shared process never got going (a file that exits, hangs or throws while it loads): each
        // component alone, so the broken file costs only the components that import it.
        for (const member of group.members) {
          for (const alone of await compilingGroups(submission, plan, [member], visibility, settled)) {
            await runGroup(plan, alone, visibility, isolation, limits, deadline, settled, log);
          }
        }
      }
    }
  }
  const components = plan.components.map((planned) => ({
    planned,
    cases: planned.cases.map((c) => ({
      id: c.id,
      title: c.title,
      visibility: c.visibility,
      possible: round(c.possible),
      ...(settled.get(c) ?? settledAs('not-run', 'not run')),
    })),
  }));
  return { components, log: log.join('\n') };
}

function casesOf(member: PlannedComponent, visibility: 'public' | 'hidden'): PlannedCase[] {
  return member.cases.filter((c) => c.visibility === visibility);
}

function settleAll(settled: Map<PlannedCase, Settled>, cases: readonly PlannedCase[], outcome: Settled): void {
  for (const c of cases) if (!settled.has(c)) settled.set(c, outcome);
}

function filesOf(member: PlannedComponent, visibility: 'public' | 'hidden'): string[] {
  // The hidden process runs the public files' reruns too, so it loads both.
  const files = visibility === 'public' ? [member.publicFile] : [member.publicFile, member.hiddenFile];
  return files.filter((file): file is string => file !== undefined);
}

interface CompiledGroup {
  readonly members: readonly PlannedComponent[];
  readonly code: string;
  readonly webgpu: boolean;
}

/**
 * The exercise's components bundled into as few processes as compile: all together first (the usual
 * case, one process for the exercise); when that fails, each component alone, so that one file that does
 * not compile costs only the components that import it, and the rest run together again.
 */
async function compilingGroups(
  submission: Submission,
  plan: GradingPlan,
  members: readonly PlannedComponent[],
  visibility: 'public' | 'hidden',
  settled: Map<PlannedCase, Settled>,
): Promise<CompiledGroup[]> {
  if (members.length === 0) return [];
  const bundle = async (group: readonly PlannedComponent[]) => {
    const webgpu = group.some((member) => member.webgpu);
    const files = [...new Set(group.flatMap((member) => filesOf(member, visibility)))];
    return { result: await bundleChecks(plan.kitRoot, files, { kind: 'memory', files: submission.files }, { webgpu }), webgpu };
  };
  const together = await bundle(members);
  if (together.result.ok) return [{ members, code: together.result.code, webgpu: together.webgpu }];
  const compiling: PlannedComponent[] = [];
  for (const member of members) {
    const alone = await bundle([member]);
    if (alone.result.ok) compiling.push(member);
    else settleAll(settled, casesOf(member, visibility), settledAs('does-not-compile', `does not compile: ${describeCompileErrors(alone.result.errors)}`));
  }
  if (compiling.length === 0) return [];
  const rest = await bundle(compiling);
  if (!rest.result.ok) {
    // Each compiles alone but not together (two files clash): grade them one by one.
    const groups: CompiledGroup[] = [];
    for (const member of compiling) {
      const alone = await bundle([member]);
      if (alone.result.ok) groups.push({ members: [member], code: alone.result.code, webgpu: alone.webgpu });
    }
    return groups;
  }
  return [{ members: compiling, code: rest.result.code, webgpu: rest.webgpu }];
}

/**
 * Runs a compiled group's checks in as many processes as it takes. 'split' when the group shares a
 * process among several components and the first process ended before any check settled: the caller
 * then runs each component on its own.
 */
async function runGroup(
  plan: GradingPlan,
  group: CompiledGroup,
  visibility: 'public' | 'hidden',
  isolation: Isolation,
  limits: Limits,
  deadline: number,
  settled: Map<PlannedCase, Settled>,
  log: string[],
): Promise<'done' | 'split'> {
  // A WebGPU process creates its device and compiles each kernel on first use (LLVM, in Mesa's software
  // driver: up to a few seconds on a busy machine), so its clocks run WEBGPU_TIME_FACTOR times longer.
  if (group.webgpu) limits = { ...limits, caseTimeoutMs: limits.caseTimeoutMs * WEBGPU_TIME_FACTOR, fileTimeoutMs: limits.fileTimeoutMs * WEBGPU_TIME_FACTOR };
  const cases = group.members.flatMap((member) => casesOf(member, visibility));
  const byKey = new Map(cases.map((c) => [c.key, c]));
  const handoutOf = new Map(group.members.flatMap((member) => casesOf(member, visibility).map((c) => [c.key, member.component.handout] as const)));
  const open = (): PlannedCase[] => cases.filter((c) => !settled.has(c));
  const settleRest = (status: Exclude<CaseStatus, 'passed'>, reason: string): void => settleAll(settled, open(), settledAs(status, reason));
  const exercise = group.members[0].exercise.id;

  // One process after another until every check is settled; each new one skips the settled checks.
  // Each component has its own time budget (fileTimeoutMs, its "test file"), spent by its checks in
  // whatever process runs them: a component that loops forever loses its own remaining checks, not
  // the other components'. The group as a whole also stops at the sum of its members' budgets.
  const memberOf = new Map(group.members.flatMap((member) => casesOf(member, visibility).map((c) => [c, member] as const)));
  const spent = new Map<PlannedComponent, number>();
  const charge = (c: PlannedCase, ms: number): void => {
    const member = memberOf.get(c);
    if (member) spent.set(member, (spent.get(member) ?? 0) + ms);
  };
  const componentTimeUp = `not run: this component's tests used up their time limit (${limits.fileTimeoutMs / 1000} s)`;
  const settleSpentComponents = (): void => {
    for (const member of group.members) {
      if ((spent.get(member) ?? 0) >= limits.fileTimeoutMs) settleAll(settled, casesOf(member, visibility), settledAs('not-run', componentTimeUp));
    }
  };
  const groupDeadline = Date.now() + limits.fileTimeoutMs * group.members.length;
  const groupTimeUp = `not run: these tests used up their time limit (${limits.fileTimeoutMs / 1000} s per component)`;
  for (let attempt = 0; attempt <= cases.length && open().length > 0; attempt++) {
    if (Date.now() >= deadline) {
      settleRest('not-run', `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
      break;
    }
    if (Date.now() >= groupDeadline) {
      settleRest('not-run', groupTimeUp);
      break;
    }
    let current: PlannedCase | undefined;
    let startedAt = 0;
    let done = false;
    let loadError: ErrorData | undefined;
    const before = open().length;
    const settle = (c: PlannedCase, outcome: Settled): void => {
      if (!settled.has(c)) settled.set(c, outcome);
    };
    const run = runCaseProcess({
      code: group.code,
      config: { seed: visibility === 'public' ? PUBLIC_SEED : plan.seed, visibility, skip: cases.filter((c) => settled.has(c)).map((c) => c.key) },
      isolation,
      memoryBytes: limits.memoryBytes,
      caseTimeoutMs: limits.caseTimeoutMs,
      deadline,
      fileDeadline: groupDeadline,
      webgpu: group.webgpu,
      onFrame: (frame) => {
        const f = frame !== null && typeof frame === 'object' ? (frame as { t?: unknown; id?: unknown; data?: unknown; error?: unknown }) : {};
        const key = typeof f.id === 'string' ? f.id : undefined;
        const named = key === undefined ? undefined : byKey.get(key);
        switch (f.t) {
          case 'start':
            current = named;
            startedAt = Date.now();
            break;
          case 'result':
            if (named !== undefined && named === current) {
              charge(named, Date.now() - startedAt);
              settle(named, judge(named, f.data));
            }
            else if (named !== undefined && !settled.has(named)) settle(named, settledAs('error', 'a result arrived for a test that was not running (tampering with the grader channel)'));
            break;
          case 'error':
            if (named !== undefined && named === current) {
              charge(named, Date.now() - startedAt);
              settle(named, fromError(named, asErrorData(f.error), handoutOf.get(named.key) ?? ''));
            }
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
    if (end.output.trim()) log.push(`--- ${exercise} ${visibility} checks of ${group.members.map((m) => m.component.name).join(', ')} (process ${attempt + 1}) ---\n${end.output.trim()}`);
    const noProgress = open().length === before && current === undefined;
    if (group.members.length > 1 && attempt === 0 && (loadError || noProgress) && end.killed?.reason !== 'submission-timeout') return 'split';
    if (loadError) {
      // Loading happens before any check runs, so its message carries nothing from a hidden check.
      settleRest('error', visibility === 'hidden' ? 'the code failed while loading' : `the code failed while loading: ${loadError.name}: ${loadError.message}`);
      break;
    }
    if (current !== undefined && !settled.has(current)) {
      charge(current, Date.now() - startedAt);
      settled.set(current, fromEnd(end, limits));
    }
    settleSpentComponents();
    if (open().length === before) {
      // No progress: the process ends before its first check (it exits, crashes or hangs while loading).
      if (end.killed?.reason === 'case-timeout') settleRest('timeout', `timed out while loading the code (${describeEnd(end, limits)}): a top-level loop or a promise that never settles?`);
      else if (end.killed?.reason === 'file-timeout') settleRest('not-run', groupTimeUp);
      else if (end.killed?.reason === 'submission-timeout') settleRest('not-run', `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
      else settleRest('crashed', `the process ended before this test ran (${describeEnd(end, limits)})`);
      break;
    }
    if (end.killed?.reason === 'submission-timeout') {
      settleRest('not-run', `not run: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
      break;
    }
    if (end.killed?.reason === 'file-timeout') {
      settleRest('not-run', groupTimeUp);
      break;
    }
    if (done && open().length > 0) {
      settleRest('not-run', 'not run: the process said it had finished without running this test (tampering?)');
      break;
    }
  }
  return 'done';
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

/**
 * The only way a case earns points: the check's own `verify` on the data (the same function the
 * student's `npm test` calls on the same data) and, for hidden cases, the comparison with the
 * reference's data on the same seed. A hidden case's reason says only that it failed.
 */
function judge(planned: PlannedCase, received: unknown): Settled {
  const hidden = planned.visibility === 'hidden';
  if (planned.check.verify) {
    try {
      planned.check.verify(received);
    } catch (error) {
      if (hidden) return settledAs('wrong', 'wrong result (hidden test: the details are withheld; run the public tests to find the mistake)');
      return settledAs('wrong', `wrong result: ${bounded(messageOf(error))}`);
    }
  }
  if (hidden && planned.expected !== undefined && planned.check.matchReference !== false) {
    const tolerance = planned.check.matchReference;
    const verdict = compareData(received, planned.expected, tolerance === 'exact' ? { kind: 'exact' } : { kind: 'close', ...(typeof tolerance === 'number' ? { tolerance } : {}) });
    if (!verdict.pass) return settledAs('wrong', 'wrong result (hidden test: the details are withheld; run the public tests to find the mistake)');
  }
  return { earned: round(planned.possible), status: 'passed', reason: '' };
}

/** A check's failure message on one line (reports keep reasons to a line; the lines say expected, received). */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' · ');
}

function bounded(text: string): string {
  return text.length > MAX_REASON_CHARACTERS ? `${text.slice(0, MAX_REASON_CHARACTERS - 1)}…` : text;
}

function fromError(planned: PlannedCase, error: ErrorData, handout: string): Settled {
  const hidden = planned.visibility === 'hidden';
  if (error.notImplemented) {
    // The component named by the stub is the student's text; the handout link comes from the manifest.
    const component = hidden ? '' : ` (${error.notImplemented.component})`;
    return settledAs('not-implemented', `not implemented yet${component}: read ${handout}`);
  }
  if (error.name === 'NotDataError') return settledAs('wrong', hidden ? 'returned something that is not plain data (a Proxy, a getter, a class instance or the wrong type)' : `returned something that is not data: ${error.message}`);
  if (hidden) return settledAs('error', 'threw an error (hidden test: the error is withheld; run the public tests to reproduce)');
  return settledAs('error', `threw ${error.name}: ${bounded(error.message)}`);
}

function describeEnd(end: CaseProcessEnd, limits: Limits): string {
  if (end.killed?.reason === 'case-timeout') return `timed out after ${limits.caseTimeoutMs / 1000} s`;
  if (end.killed) return `stopped: ${end.killed.detail}`;
  if (end.signal) return `killed by ${end.signal}${end.signal === 'SIGABRT' || end.signal === 'SIGSEGV' ? ' (out of memory?)' : ''}`;
  if (end.code === 134) return 'aborted, most likely out of memory';
  return `the process exited with code ${end.code}`;
}

function fromEnd(end: CaseProcessEnd, limits: Limits): Settled {
  if (end.killed?.reason === 'case-timeout') {
    return settledAs('timeout', `timed out: no result within ${limits.caseTimeoutMs / 1000} s (an infinite loop, a promise that never settles, or far too slow)`);
  }
  if (end.killed?.reason === 'submission-timeout') return settledAs('timeout', `timed out: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`);
  if (end.killed?.reason === 'file-timeout') return settledAs('timeout', `timed out: this component's tests used up their time limit (${limits.fileTimeoutMs / 1000} s)`);
  if (end.killed?.reason === 'channel') return settledAs('crashed', `the process was stopped: ${end.killed.detail}`);
  const outOfMemory = end.code === 134 || end.signal === 'SIGABRT' || /out of memory|allocation failed/i.test(end.output);
  if (outOfMemory) return settledAs('crashed', `ran out of memory (limit ${Math.round(limits.memoryBytes / 1048576)} MiB) during this test`);
  return settledAs('crashed', `the process ended during this test (${describeEnd(end, limits)}); does the code call process.exit or throw from a timer?`);
}

export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
