import { CaseLedger, type Settled, settledAs } from './grading/case-ledger.js';
import { compileGroups, smallerParts, type CompiledGroup } from './grading/compile-groups.js';
import { runGroup } from './grading/run-group.js';
import { runInLanes } from './run-in-lanes.js';
import { casesOf, type SubmissionRun, type Visibility } from './grading/submission-run.js';
import { round } from './grading/verdicts.js';
import type { Isolation } from './sandbox/isolation.js';
import type { GradingPlan, PlannedCase, PlannedComponent } from './plan.js';
import type { Submission } from './submissions/load.js';
import type { CaseReport } from './report/report-types.js';

export { round } from './grading/verdicts.js';
export { WEBGPU_TIME_FACTOR } from './grading/run-group.js';

/** The time and memory limits of a submission's processes (the CLI's --memory and --…-timeout options). */
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

/**
 * Grades one submission in two passes of sandboxed processes (sandbox/runner.ts): one runs the public
 * checks of its components' test files, exactly as the student's `npm test` does, and a separate one
 * runs the hidden checks, so that nothing a submission saw of a hidden check can reach the shown message
 * of a public one (`passes`).
 * Every case starts as "not run"; it scores only when the orchestrator's own `verify` of the returned
 * data passes (and, for hidden cases, the comparison with the reference). A timeout or crash settles
 * the check that was running and a fresh process carries on with the rest; nothing a submission does
 * stops the batch.
 *
 * The steps, in the order they run: `gradeSubmission` → `passes` (public, then hidden) →
 * `processGroups` → `compileGroups` (grading/compile-groups.ts: which components share a process) →
 * `runInLanes` (`lanes` processes at a time; one in a batch with a submission per job) → `runOrSplit`
 * → `runGroup` (grading/run-group.ts: processes until every check is settled) → `ProcessWatch`
 * (grading/process-watch.ts: a process's frames) → `judge` (grading/verdicts.ts: the check's `verify`)
 * → the `CaseLedger` (grading/case-ledger.ts), read back here into the outcome that
 * report/build-report.ts turns into a report.
 */
export async function gradeSubmission(
  submission: Submission,
  plan: GradingPlan,
  isolation: Isolation,
  limits: Limits,
  /** How many of its sandboxed processes may run at once (more than 1 when a batch has spare jobs). */
  lanes = 1,
): Promise<SubmissionOutcome> {
  const run: SubmissionRun = {
    submission,
    plan,
    isolation,
    limits,
    deadline: Date.now() + limits.submissionTimeoutMs,
    ledger: new CaseLedger(),
    log: [],
  };
  const groups: Array<{ group: CompiledGroup; visibility: Visibility }> = [];
  for (const { visibility, members } of passes(plan)) {
    for (const group of await processGroups(run, submitted(run, members, visibility), visibility))
      groups.push({ group, visibility });
  }
  // In pass order: the public CPU process, the longest, starts first.
  await runInLanes(groups, lanes, ({ group, visibility }) => runOrSplit(run, group, visibility));
  return { components: outcomes(run), log: run.log.join('\n') };
}

/** Some components' checks of one visibility: what one round of processes runs. */
interface Pass {
  readonly visibility: Visibility;
  readonly members: readonly PlannedComponent[];
}

/**
 * The order of work: the public pass, then the hidden pass, each over every graded exercise at once,
 * as the student's `npm test` runs every exercise's checks in one worker (tests/setup/test-projects.ts).
 * One process per visibility for the CPU components, not one per exercise, loads the framework and the
 * harness once and keeps V8's compiled code warm across exercises; the WebGPU components share one
 * process per visibility (one device) apart from them, and `isolate` components run alone
 * (`processGroups`).
 */
function passes(plan: GradingPlan): Pass[] {
  return (['public', 'hidden'] as const).map((visibility) => ({
    visibility,
    members: plan.components.filter((member) => member.cases.some((c) => c.visibility === visibility)),
  }));
}

/** One compiled group's processes; when its shared process never got going, its members in smaller groups. */
async function runOrSplit(run: SubmissionRun, group: CompiledGroup, visibility: Visibility): Promise<void> {
  if ((await runGroup(run, group, visibility)) === 'split') await runInSmallerGroups(run, group, visibility);
}

/** The members whose files the submission has; the others' cases are settled "not-submitted". */
function submitted(
  run: SubmissionRun,
  members: readonly PlannedComponent[],
  visibility: Visibility,
): PlannedComponent[] {
  return members.filter((member) => {
    const missing = member.component.files.filter((file) => !run.submission.files.has(file));
    if (missing.length > 0)
      run.ledger.settleAll(
        casesOf(member, visibility),
        settledAs('not-submitted', `the submission has no ${missing.map((f) => `exercises/${f}`).join(', ')}`),
      );
    return missing.length === 0;
  });
}

/**
 * One process for the pass's CPU components, one for its WebGPU components (sandboxed with the Dawn
 * addon), and one for each that asks to run alone (`isolate`).
 */
async function processGroups(
  run: SubmissionRun,
  runnable: readonly PlannedComponent[],
  visibility: Visibility,
): Promise<CompiledGroup[]> {
  const shared = runnable.filter((member) => !member.isolate);
  const cpu = await compileGroups(
    run,
    shared.filter((member) => !member.webgpu),
    visibility,
  );
  const gpu = await compileGroups(
    run,
    shared.filter((member) => member.webgpu),
    visibility,
  );
  const alone = await Promise.all(
    runnable.filter((member) => member.isolate).map((member) => compileGroups(run, [member], visibility)),
  );
  return [...cpu, ...gpu, ...alone.flat()];
}

/**
 * The shared process never got going (a file that exits, hangs or throws while it loads): the group's
 * components again in smaller groups, so the broken file costs only the components that import it.
 * A group of several exercises splits into one group per exercise first (a broken file usually spoils
 * one exercise, and an exercise's components still share a process); a group of one exercise splits
 * into its components, each alone.
 */
async function runInSmallerGroups(run: SubmissionRun, group: CompiledGroup, visibility: Visibility): Promise<void> {
  for (const part of smallerParts(group.members)) {
    for (const smaller of await compileGroups(run, part, visibility)) await runOrSplit(run, smaller, visibility);
  }
}

/** Every planned case with how it ended, in plan order. */
function outcomes(run: SubmissionRun): ComponentOutcome[] {
  return plannedOutcomes(run.plan, (c) => run.ledger.outcomeOf(c));
}

/**
 * The report of every planned case of `plan`, in plan order: what the plan knows of the case (id,
 * title, visibility, points possible) with how `settled` says it ended.
 */
export function plannedOutcomes(plan: GradingPlan, settled: (c: PlannedCase) => Settled): ComponentOutcome[] {
  return plan.components.map((planned) => ({
    planned,
    cases: planned.cases.map((c) => ({
      id: c.id,
      title: c.title,
      visibility: c.visibility,
      possible: round(c.possible),
      ...settled(c),
    })),
  }));
}
