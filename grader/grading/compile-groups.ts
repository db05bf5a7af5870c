import { bundleChecks, type BundleResult, type CompileError } from '../sandbox/bundle.js';
import type { PlannedComponent } from '../plan.js';
import { settledAs } from './case-ledger.js';
import { casesOf, type SubmissionRun, type Visibility } from './submission-run.js';

/** Components bundled into one program for one process. */
export interface CompiledGroup {
  readonly members: readonly PlannedComponent[];
  readonly code: string;
  /** Some member runs WebGPU kernels: the process gets the Dawn addon and longer clocks. */
  readonly webgpu: boolean;
}

/**
 * The components bundled into as few processes as compile: all together first (the usual case, one
 * process for the whole course); when that fails, in smaller parts (`smallerParts`: per exercise, then
 * each component alone), so that one file that does not compile costs only the components that import
 * it (their cases are settled "does-not-compile"), and the rest run together again; if those clash with
 * each other, one by one.
 */
export async function compileGroups(
  run: SubmissionRun,
  members: readonly PlannedComponent[],
  visibility: Visibility,
): Promise<CompiledGroup[]> {
  if (members.length === 0) return [];
  const together = await bundleGroup(run, members, visibility);
  if (together.ok) return [{ members, code: together.code, webgpu: anyWebGpu(members) }];
  if (exercisesOf(members).length > 1) {
    // Several exercises: each compiles (or narrows down its own broken files) on its own.
    const groups: CompiledGroup[] = [];
    for (const part of smallerParts(members)) groups.push(...(await compileGroups(run, part, visibility)));
    return groups;
  }
  const compiling: PlannedComponent[] = [];
  for (const member of members) {
    const alone = await bundleGroup(run, [member], visibility);
    if (alone.ok) compiling.push(member);
    else
      run.ledger.settleAll(
        casesOf(member, visibility),
        settledAs('does-not-compile', `does not compile: ${describeCompileErrors(alone.errors)}`),
      );
  }
  if (compiling.length === 0) return [];
  const rest = await bundleGroup(run, compiling, visibility);
  if (rest.ok) return [{ members: compiling, code: rest.code, webgpu: anyWebGpu(compiling) }];
  // Each compiles alone but not together (two files clash): grade them one by one.
  const groups: CompiledGroup[] = [];
  for (const member of compiling) {
    const alone = await bundleGroup(run, [member], visibility);
    if (alone.ok) groups.push({ members: [member], code: alone.code, webgpu: anyWebGpu([member]) });
  }
  return groups;
}

/**
 * The members in smaller parts when they cannot share a process: one part per exercise when they span
 * several, else each member alone.
 */
export function smallerParts(members: readonly PlannedComponent[]): PlannedComponent[][] {
  const exercises = exercisesOf(members);
  if (exercises.length > 1)
    return exercises.map((exercise) => members.filter((member) => member.exercise === exercise));
  return members.map((member) => [member]);
}

function exercisesOf(members: readonly PlannedComponent[]): PlannedComponent['exercise'][] {
  return [...new Set(members.map((member) => member.exercise))];
}

/** One bundle of the members' check files with the submission's files (from memory). */
function bundleGroup(
  run: SubmissionRun,
  members: readonly PlannedComponent[],
  visibility: Visibility,
): Promise<BundleResult> {
  const files = [...new Set(members.flatMap((member) => checkFilesOf(member, visibility)))];
  return bundleChecks(
    run.plan.kitRoot,
    files,
    { kind: 'memory', files: run.submission.files },
    { webgpu: anyWebGpu(members) },
  );
}

function anyWebGpu(members: readonly PlannedComponent[]): boolean {
  return members.some((member) => member.webgpu);
}

/** The check files a process of this visibility loads for a component. */
function checkFilesOf(member: PlannedComponent, visibility: Visibility): string[] {
  // The hidden process runs the public files' reruns too, so it loads both.
  const files = visibility === 'public' ? [member.publicFile] : [member.publicFile, member.hiddenFile];
  return files.filter((file): file is string => file !== undefined);
}

/** The first three compile errors, `file:line:column: message`. */
function describeCompileErrors(errors: readonly CompileError[]): string {
  const shown = errors.slice(0, 3).map((e) => (e.file ? `${e.file}:${e.line}:${e.column}: ${e.message}` : e.message));
  return shown.join('; ') + (errors.length > 3 ? ` (and ${errors.length - 3} more)` : '');
}
