import { PUBLIC_SEED } from '../../tests/harness/seeds.js';
import type { Limits } from '../grade-submission.js';
import type { PlannedCase } from '../plan.js';
import { runCaseProcess, type CaseProcessEnd } from '../sandbox/case-process.js';
import { settledAs } from './case-ledger.js';
import type { CompiledGroup } from './compile-groups.js';
import { ComponentBudgets } from './component-budgets.js';
import { ProcessWatch } from './process-watch.js';
import { casesOf, submissionTimeUp, type SubmissionRun, type Visibility } from './submission-run.js';
import { describeEnd } from './verdicts.js';

/** How many times longer a WebGPU component's case and component time limits are (docs/grader.md, "WebGPU components"). */
export const WEBGPU_TIME_FACTOR = 3;

/** One compiled group's checks of one visibility, and the clocks they run under. */
interface GroupRun {
  readonly run: SubmissionRun;
  readonly group: CompiledGroup;
  readonly visibility: Visibility;
  readonly limits: Limits;
  readonly cases: readonly PlannedCase[];
  readonly budgets: ComponentBudgets;
  /** The group as a whole stops at the sum of its members' budgets. */
  readonly groupDeadline: number;
}

/** After a process ended: start another on the open cases, stop, or give up on sharing a process. */
type NextStep = 'again' | 'stop' | 'split';

/**
 * Runs a compiled group's checks in as many processes as it takes: one process after another until
 * every check is settled, each new one skipping the settled checks (a crash or timeout settles only
 * the check it happened in). 'split' when the group shares a process among several components and the
 * first process ended before any check settled (a file that exits, hangs or throws while it loads):
 * the caller then runs each component on its own.
 */
export async function runGroup(
  run: SubmissionRun,
  group: CompiledGroup,
  visibility: Visibility,
): Promise<'done' | 'split'> {
  const limits = group.webgpu ? webGpuLimits(run.limits) : run.limits;
  const cases = group.members.flatMap((member) => casesOf(member, visibility));
  const groupRun: GroupRun = {
    run,
    group,
    visibility,
    limits,
    cases,
    budgets: new ComponentBudgets(group.members, visibility, limits.fileTimeoutMs),
    groupDeadline: Date.now() + limits.fileTimeoutMs * group.members.length,
  };
  for (let attempt = 0; attempt <= cases.length && run.ledger.open(cases).length > 0; attempt++) {
    const timeUp = clockThatRanOut(groupRun);
    if (timeUp !== undefined) {
      run.ledger.settleAll(cases, settledAs('not-run', timeUp));
      break;
    }
    const openBefore = run.ledger.open(cases).length;
    const { watch, end } = await runOneProcess(groupRun, attempt);
    const next = nextStep(groupRun, watch, end, attempt, openBefore);
    if (next === 'split') return 'split';
    if (next === 'stop') break;
  }
  return 'done';
}

/**
 * A WebGPU process creates its device and compiles each kernel on first use (LLVM, in Mesa's software
 * driver: up to a few seconds on a busy machine), so its clocks run WEBGPU_TIME_FACTOR times longer.
 */
function webGpuLimits(limits: Limits): Limits {
  return {
    ...limits,
    caseTimeoutMs: limits.caseTimeoutMs * WEBGPU_TIME_FACTOR,
    fileTimeoutMs: limits.fileTimeoutMs * WEBGPU_TIME_FACTOR,
  };
}

/** Why no further process may start: the submission's or the group's time is up. */
function clockThatRanOut(groupRun: GroupRun): string | undefined {
  if (Date.now() >= groupRun.run.deadline) return submissionTimeUp(groupRun.limits);
  if (Date.now() >= groupRun.groupDeadline) return groupTimeUp(groupRun.limits);
  return undefined;
}

function groupTimeUp(limits: Limits): string {
  return `not run: these tests used up their time limit (${limits.fileTimeoutMs / 1000} s per component)`;
}

/** One sandboxed process on the group's open checks; its frames settle cases as they arrive. */
async function runOneProcess(
  groupRun: GroupRun,
  attempt: number,
): Promise<{ watch: ProcessWatch; end: CaseProcessEnd }> {
  const { run, group, visibility, limits, cases } = groupRun;
  const handoutOf = new Map(
    group.members.flatMap((member) =>
      casesOf(member, visibility).map((planned) => [planned.key, member.component.handout] as const),
    ),
  );
  const watch = new ProcessWatch(
    new Map(cases.map((planned) => [planned.key, planned])),
    handoutOf,
    run.ledger,
    groupRun.budgets,
  );
  const caseProcess = runCaseProcess({
    code: group.code,
    config: {
      seed: visibility === 'public' ? PUBLIC_SEED : run.plan.seed,
      visibility,
      skip: cases.filter((planned) => run.ledger.isSettled(planned)).map((planned) => planned.key),
    },
    isolation: run.isolation,
    memoryBytes: limits.memoryBytes,
    caseTimeoutMs: limits.caseTimeoutMs,
    deadline: run.deadline,
    fileDeadline: groupRun.groupDeadline,
    webgpu: group.webgpu,
    onFrame: (frame) => watch.onFrame(frame),
  });
  const end = await caseProcess.done;
  if (end.output.trim()) {
    const exercises = [...new Set(group.members.map((m) => m.exercise.id))].join('+');
    run.log.push(
      `--- ${exercises} ${visibility} checks of ${group.members.map((m) => m.component.name).join(', ')} (process ${attempt + 1}) ---\n${end.output.trim()}`,
    );
  }
  return { watch, end };
}

/**
 * Settles what the ended process leaves behind and decides what comes next. In order: a shared first
 * process that never got going asks for a split; a load error settles every open check; the check
 * that was running is settled by how the process ended, and components over their budget lose their
 * open checks; a process that settled nothing, or was killed by a group or submission clock, or said
 * it was done with checks still open, ends the group.
 */
function nextStep(
  groupRun: GroupRun,
  watch: ProcessWatch,
  end: CaseProcessEnd,
  attempt: number,
  openBefore: number,
): NextStep {
  const { run, group, visibility, limits, cases } = groupRun;
  const ledger = run.ledger;
  const settleRest = (status: Parameters<typeof settledAs>[0], reason: string): NextStep => {
    ledger.settleAll(cases, settledAs(status, reason));
    return 'stop';
  };
  const noProgress = ledger.open(cases).length === openBefore && watch.current === undefined;
  if (
    group.members.length > 1 &&
    attempt === 0 &&
    (watch.loadError || noProgress) &&
    end.killed?.reason !== 'submission-timeout'
  )
    return 'split';
  if (watch.loadError) {
    // Loading happens before any check runs, so its message carries nothing from a hidden check.
    return settleRest(
      'error',
      visibility === 'hidden'
        ? 'the code failed while loading'
        : `the code failed while loading: ${watch.loadError.name}: ${watch.loadError.message}`,
    );
  }
  watch.settleInterrupted(end, limits);
  groupRun.budgets.settleSpent(ledger);
  if (ledger.open(cases).length === openBefore) return settleNeverStarted(groupRun, end);
  if (end.killed?.reason === 'submission-timeout') return settleRest('not-run', submissionTimeUp(limits));
  if (end.killed?.reason === 'file-timeout') return settleRest('not-run', groupTimeUp(limits));
  if (watch.finished && ledger.open(cases).length > 0)
    return settleRest('not-run', 'not run: the process said it had finished without running this test (tampering?)');
  return 'again';
}

/** No progress: the process ended before its first check (it exits, crashes or hangs while loading). */
function settleNeverStarted(groupRun: GroupRun, end: CaseProcessEnd): NextStep {
  const { limits, cases } = groupRun;
  const outcome =
    end.killed?.reason === 'case-timeout'
      ? settledAs(
          'timeout',
          `timed out while loading the code (${describeEnd(end, limits)}): a top-level loop or a promise that never settles?`,
        )
      : end.killed?.reason === 'file-timeout'
        ? settledAs('not-run', groupTimeUp(limits))
        : end.killed?.reason === 'submission-timeout'
          ? settledAs('not-run', submissionTimeUp(limits))
          : settledAs('crashed', `the process ended before this test ran (${describeEnd(end, limits)})`);
  groupRun.run.ledger.settleAll(cases, outcome);
  return 'stop';
}
