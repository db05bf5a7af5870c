import { createHash } from 'node:crypto';
import { course, type ComponentSpec, type CourseSpec, type ExerciseSpec } from '../course/course.js';
import type { Check, CheckKind } from '../tests/harness/checks.js';
import { loadCheckCatalogue, type CheckCatalogue, type CheckFile } from './checks/catalogue.js';
import { hiddenTestSetHash } from './challenge/hidden-test-set.js';
import { referenceData } from './checks/reference-cache.js';
import { probeWebGpu } from './checks/webgpu-probe.js';
import { GraderSetupError } from './setup-error.js';
import { checksToRun, type PlannedCheck } from './sandbox/checks-to-run.js';

/**
 * What a run grades and how (DESIGN §5, §7). For every component of the graded exercises: its public
 * cases (every check of its test file, sharing the manifest's `points` by weight, exactly as the
 * student's scoreboard shares them) and its hidden cases (the checks marked `hiddenRerun` under the
 * run's secret seed, plus the hidden-only checks, sharing `hiddenPoints`). Hidden cases that compare
 * with the reference get its data from one trusted run of solutions/ on the same seed (cached per
 * seed). A check the reference itself fails stops the run: that is a bug in the kit, not in a submission.
 */
export interface PlannedCase {
  /** `Component/<case id>`: unique in the exercise, what the runner's frames carry. */
  readonly key: string;
  /** Unique in the component: the check's id, `rerun-<id>` or `hidden-<id>`. */
  readonly id: string;
  readonly title: string;
  readonly visibility: 'public' | 'hidden';
  readonly kind: CheckKind;
  /** Points this case is worth: its weight's share of the component's public or hidden points. */
  readonly possible: number;
  /** Where `verify` and the reference comparison's options come from. */
  readonly check: Check;
  /** Hidden cases compared with the reference: the reference's data on the same seed. */
  readonly expected?: unknown;
}

export interface PlannedComponent {
  readonly exercise: ExerciseSpec;
  readonly component: ComponentSpec;
  /** Check files (absolute paths) whose checks grade this component: its test file, its hidden file. */
  readonly publicFile?: string;
  readonly hiddenFile?: string;
  readonly cases: readonly PlannedCase[];
  /** Its checks run WebGPU kernels (Exercise 5): bundled with the .wgsl files, run with the Dawn addon. */
  readonly webgpu: boolean;
  /** Its checks run in a process of their own (the test file asks for it: `isolate`, tests/harness/checks.ts). */
  readonly isolate: boolean;
}

export interface GradingPlan {
  readonly course: CourseSpec;
  readonly kitRoot: string;
  /** The hidden checks' base seed (recorded in every report, so a regrade reproduces it). */
  readonly seed: number;
  /**
   * Hash of the manifest, the checks and solutions, and the challenge's hidden test set when it is graded:
   * a report from another fingerprint is not resumed.
   */
  readonly fingerprint: string;
  readonly exercises: readonly ExerciseSpec[];
  readonly components: readonly PlannedComponent[];
  /** Owned file paths (relative to exercises/): every exercise's, whichever are graded (`ownedFilesOfCourse`). */
  readonly ownedFiles: readonly string[];
  /** Loud notes for the instructor, e.g. WebGPU components that cannot be graded on this machine. */
  readonly warnings: readonly string[];
}

export { GraderSetupError } from './setup-error.js';

export interface PlanOptions {
  readonly kitRoot: string;
  readonly seed: number;
  /** Only these exercise ids (all when empty). */
  readonly exercises?: readonly string[];
  /** Where reference outputs are cached (per fingerprint and seed). */
  readonly cacheDirectory?: string;
}

/**
 * The plan, step by step: the graded exercises (`selectExercises`) → their check files bundled with
 * solutions/ and imported (checks/catalogue.ts; the bundle's hash makes the fingerprint) → whether the
 * sandbox gets a WebGPU adapter (checks/webgpu-probe.ts) → per exercise, the reference's data for the
 * hidden checks (checks/reference-cache.ts) and each component's cases with their points
 * (`planComponent`) → the files a submission may own (`ownedFilesOfCourse`).
 */
export async function buildPlan(options: PlanOptions): Promise<GradingPlan> {
  const { kitRoot, seed } = options;
  const exercises = selectExercises(options.exercises ?? []);
  const catalogue = await loadCheckCatalogue(kitRoot, exercises);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(course))
    .update(catalogue.hash)
    .update(exercises.some((exercise) => exercise.challenge) ? hiddenTestSetHash(kitRoot) : '')
    .digest('hex')
    .slice(0, 16);
  const gpuProblem = await webGpuProblem(kitRoot, catalogue);
  const components: PlannedComponent[] = [];
  const warnings: string[] = [];
  for (const exercise of exercises) {
    const graded = catalogue.files.filter(
      (file) => file.exercise === exercise && !(file.checks.webgpu && gpuProblem !== undefined),
    );
    const ungraded = catalogue.files.filter(
      (file) => file.exercise === exercise && file.checks.webgpu && gpuProblem !== undefined,
    );
    if (ungraded.length > 0) warnings.push(ungradedWebGpuWarning(exercise, gpuProblem as string));
    const expected = await referenceData({
      kitRoot,
      exercise,
      files: graded,
      seed,
      fingerprint,
      cacheDirectory: options.cacheDirectory,
    });
    for (const component of exercise.components) {
      const mine = graded.filter((file) => file.checks.component === component.name);
      const gpuLeftOut = ungraded.some((file) => file.checks.component === component.name);
      components.push(
        gpuLeftOut
          ? { exercise, component, cases: [], webgpu: true, isolate: false }
          : planComponent(exercise, component, mine, expected),
      );
    }
  }
  return { course, kitRoot, seed, fingerprint, exercises, components, ownedFiles: ownedFilesOfCourse(), warnings };
}

/** The manifest's exercises, in course order: all of them, or those named (an unknown name stops the run). */
function selectExercises(wanted: readonly string[]): ExerciseSpec[] {
  for (const id of wanted) {
    if (!course.exercises.some((exercise) => exercise.id === id)) {
      throw new GraderSetupError(
        `unknown exercise '${id}': the course has ${course.exercises.map((e) => e.id).join(', ')}`,
      );
    }
  }
  return course.exercises.filter((exercise) => wanted.length === 0 || wanted.includes(exercise.id));
}

/** WebGPU components are graded only where the students' sandbox gets an adapter: why not, or undefined. */
async function webGpuProblem(kitRoot: string, catalogue: CheckCatalogue): Promise<string | undefined> {
  return catalogue.files.some((file) => file.checks.webgpu) ? probeWebGpu(kitRoot) : undefined;
}

function ungradedWebGpuWarning(exercise: ExerciseSpec, gpuProblem: string): string {
  return (
    `${exercise.id}'s WebGPU checks are NOT graded: the sandbox gets no WebGPU adapter (${gpuProblem}); ` +
    'install Mesa\'s software Vulkan driver (scripts/setup-webgpu.sh) and check docs/grader.md, "WebGPU components"'
  );
}

/** One component's cases from its check files: the public checks share `points`, the hidden ones `hiddenPoints`. */
function planComponent(
  exercise: ExerciseSpec,
  component: ComponentSpec,
  mine: readonly CheckFile[],
  expected: ReadonlyMap<string, unknown>,
): PlannedComponent {
  const publicChecks = checksToRun(
    mine.map((file) => file.checks),
    'public',
  );
  const hiddenChecks = checksToRun(
    mine.map((file) => file.checks),
    'hidden',
  );
  requireChecksForPoints(exercise, component, publicChecks, hiddenChecks);
  const publicFile = mine.find((file) => file.checks.visibility === 'public');
  const hiddenFile = mine.find((file) => file.checks.visibility === 'hidden');
  return {
    exercise,
    component,
    cases: [
      ...shareOut(publicChecks, component.points, expected),
      ...shareOut(hiddenChecks, component.hiddenPoints ?? 0, expected),
    ],
    webgpu: mine.some((file) => file.checks.webgpu),
    isolate: mine.some((file) => file.checks.isolate),
    ...(publicFile ? { publicFile: publicFile.path } : {}),
    ...(hiddenFile ? { hiddenFile: hiddenFile.path } : {}),
  };
}

/** A component with points and no checks to earn them is a setup error that names it (and says what to write). */
function requireChecksForPoints(
  exercise: ExerciseSpec,
  component: ComponentSpec,
  publicChecks: readonly PlannedCheck[],
  hiddenChecks: readonly PlannedCheck[],
): void {
  if (publicChecks.length === 0 && component.points > 0) {
    throw new GraderSetupError(
      `${exercise.id} ${component.name} carries ${component.points} points but has no checks: write ${exercise.publicTests}/<file>.test.ts ending in \`export default componentChecks('${exercise.id}', '${component.name}', [...])\` (docs/authoring-exercises.md)`,
    );
  }
  if (hiddenChecks.length === 0 && (component.hiddenPoints ?? 0) > 0) {
    throw new GraderSetupError(
      `${exercise.id} ${component.name} carries ${component.hiddenPoints} hidden points but has no hidden checks: mark seeded public checks \`hiddenRerun: true\` or add ${exercise.hiddenTests}/<file>.ts (docs/authoring-exercises.md)`,
    );
  }
}

/**
 * Every file a student owns in the course, whichever exercises are graded. Exercises build on each other
 * both ways: Exercise 2's DigitsCNN runs the student's Exercise 1 layers, and Exercise 2's conv.ts
 * imports Exercise 6's dilated-kernel.ts (its stub does too), so grading Exercise 2 alone must keep that
 * file, or Conv, DigitsCNN and every check that builds a conv would not compile. Files the graded
 * checks never import are bundled by no one, so keeping them costs nothing.
 */
export function ownedFilesOfCourse(): string[] {
  return [...new Set(course.exercises.flatMap((e) => e.components.flatMap((c) => c.files)))];
}

/** Cases with points shared by weight: points · wᵢ / Σw (what the scoreboard computes for public checks). */
function shareOut(
  planned: readonly PlannedCheck[],
  points: number,
  expected: ReadonlyMap<string, unknown>,
): PlannedCase[] {
  const total = planned.reduce((sum, entry) => sum + (entry.check.weight ?? 1), 0);
  return planned.map((entry) => ({
    key: entry.key,
    id: entry.caseId,
    title: entry.rerun ? `${entry.check.title} (hidden seed)` : entry.check.title,
    visibility: entry.visibility,
    kind: entry.check.kind,
    possible: total > 0 ? (points * (entry.check.weight ?? 1)) / total : 0,
    check: entry.check,
    ...(expected.has(entry.key) ? { expected: expected.get(entry.key) } : {}),
  }));
}
