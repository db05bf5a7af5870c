import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { course, type ComponentSpec, type CourseSpec, type ExerciseSpec } from '../course/course.js';
import { bundleCases } from './sandbox/bundle.js';
import { runCaseProcess } from './sandbox/case-process.js';
import { probeIsolation } from './sandbox/isolation.js';
import type { Comparison } from './case-api.js';
import type { CaseDescription, ErrorData } from './sandbox/protocol.js';

/**
 * What a run grades and against what: every exercise of the course manifest, the case files found for
 * it (grader/cases/<id>/ public, the manifest's hiddenTests folder hidden), each case's points, and each
 * case's expected data, computed by running the same cases against solutions/ in a separate, trusted
 * process (cached per seed under the output folder). A case the reference itself fails stops the run:
 * that is a bug in the kit, not in a submission.
 */
export interface PlannedCase extends CaseDescription {
  /** Points this case is worth (public: its share of the component's manifest points). */
  readonly possible: number;
  readonly expected: unknown;
  readonly comparison: Comparison;
}

export interface PlannedComponent {
  readonly exercise: ExerciseSpec;
  readonly component: ComponentSpec;
  /** The case files (absolute paths, public first) that exercise this component. */
  readonly caseFiles: ReadonlyArray<{ readonly file: string; readonly visibility: 'public' | 'hidden' }>;
  readonly cases: readonly PlannedCase[];
  /** Its cases run WebGPU kernels (Exercise 5): bundled with the .wgsl files, run with the Dawn addon. */
  readonly webgpu?: boolean;
}

export interface GradingPlan {
  readonly course: CourseSpec;
  readonly kitRoot: string;
  readonly seed: number;
  /** Hash of the manifest, the case bundles and solutions: a report from another fingerprint is not resumed. */
  readonly fingerprint: string;
  readonly exercises: readonly ExerciseSpec[];
  readonly components: readonly PlannedComponent[];
  /** Owned file paths (relative to exercises/) of the graded exercises and the exercises before them. */
  readonly ownedFiles: readonly string[];
  /** Loud notes for the instructor, e.g. an exercise without grader cases. */
  readonly warnings: readonly string[];
}

export class GraderSetupError extends Error {
  override name = 'GraderSetupError';
}

const REFERENCE_TIMEOUT_MS = 120_000;

function caseFilesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => path.join(folder, name));
}

interface ReferenceFileRun {
  readonly cases: CaseDescription[];
  readonly results: Map<string, unknown>;
}

/** Runs one case file against solutions/ in a trusted process and returns its cases and their data. */
async function runReferenceFile(kitRoot: string, file: string, code: string, seed: number, webgpu: boolean): Promise<ReferenceFileRun> {
  let cases: CaseDescription[] = [];
  const results = new Map<string, unknown>();
  const errors: string[] = [];
  const run = runCaseProcess({
    code,
    config: { seed, skip: [] },
    isolation: 'trusted',
    memoryBytes: 4 * 1024 * 1024 * 1024,
    caseTimeoutMs: REFERENCE_TIMEOUT_MS,
    deadline: Date.now() + 10 * REFERENCE_TIMEOUT_MS,
    webgpu,
    onFrame: (frame) => {
      const f = frame as { t: string; id?: string; cases?: CaseDescription[]; data?: unknown; error?: ErrorData };
      if (f.t === 'hello') cases = f.cases ?? [];
      else if (f.t === 'result' && f.id) results.set(f.id, f.data);
      else if (f.t === 'error') errors.push(`case '${f.id}' threw ${f.error?.name}: ${f.error?.message}`);
      else if (f.t === 'load-error') errors.push(`loading failed: ${f.error?.name}: ${f.error?.message}`);
    },
  });
  const end = await run.done;
  const where = path.relative(kitRoot, file);
  if (errors.length > 0) throw new GraderSetupError(`the reference solution fails ${where}: ${errors.join('; ')}`);
  if (end.killed || end.code !== 0) throw new GraderSetupError(`the reference run of ${where} ended badly (${end.killed?.detail ?? `exit ${end.code}`}): ${end.output}`);
  return { cases, results };
}

export interface PlanOptions {
  readonly kitRoot: string;
  readonly seed: number;
  /** Only these exercise ids (all when empty). */
  readonly exercises?: readonly string[];
  /** Where reference outputs are cached (per fingerprint and seed). */
  readonly cacheDirectory?: string;
}

export async function buildPlan(options: PlanOptions): Promise<GradingPlan> {
  const { kitRoot, seed } = options;
  const warnings: string[] = [];
  const wanted = options.exercises ?? [];
  for (const id of wanted) {
    if (!course.exercises.some((exercise) => exercise.id === id)) {
      throw new GraderSetupError(`unknown exercise '${id}': the course has ${course.exercises.map((e) => e.id).join(', ')}`);
    }
  }
  const exercises = course.exercises.filter((exercise) => wanted.length === 0 || wanted.includes(exercise.id));

  // Bundle every case file with solutions/ first: the bundles are both what runs and what the fingerprint hashes.
  const files: Array<{ exercise: ExerciseSpec; file: string; visibility: 'public' | 'hidden'; code: string; webgpu: boolean }> = [];
  const withoutGpu = new Set<string>();
  let webgpuProbe: Promise<string | undefined> | undefined;
  for (const exercise of exercises) {
    const publicFiles = caseFilesIn(path.join(kitRoot, 'grader/cases', exercise.id));
    const hiddenFiles = caseFilesIn(path.join(kitRoot, exercise.hiddenTests));
    if (publicFiles.length + hiddenFiles.length === 0) {
      warnings.push(`${exercise.id} has no grader cases (grader/cases/${exercise.id}/, ${exercise.hiddenTests}/): it is not graded and counts for nothing in the totals; see docs/grader.md, "Adding grader cases"`);
    }
    for (const [visibility, list] of [['public', publicFiles], ['hidden', hiddenFiles]] as const) {
      for (const file of list) {
        const solutions = { kind: 'folder', root: path.join(kitRoot, 'solutions') } as const;
        let bundle = await bundleCases(kitRoot, [file], solutions);
        if (bundle.ok && bundle.usesWebGpu) {
          // A WebGPU case file: graded only where the students' sandbox gets an adapter.
          webgpuProbe ??= probeWebGpu(kitRoot);
          const problem = await webgpuProbe;
          if (problem !== undefined) {
            withoutGpu.add(exercise.id);
            continue;
          }
          bundle = await bundleCases(kitRoot, [file], solutions, { webgpu: true });
        }
        if (!bundle.ok) {
          throw new GraderSetupError(`${path.relative(kitRoot, file)} does not build against solutions/: ${bundle.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join('; ')}`);
        }
        files.push({ exercise, file, visibility, code: bundle.code, webgpu: bundle.usesWebGpu });
      }
    }
  }
  if (webgpuProbe) {
    const problem = await webgpuProbe;
    for (const id of withoutGpu) {
      warnings.push(
        `${id}'s WebGPU cases are NOT graded: the sandbox gets no WebGPU adapter (${problem}); ` +
          'install Mesa\'s software Vulkan driver (scripts/setup-webgpu.sh) and check docs/grader.md, "WebGPU components"',
      );
    }
  }
  const hash = createHash('sha256').update(JSON.stringify(course));
  for (const { file, code } of files) hash.update(path.relative(kitRoot, file)).update('\u0000').update(code);
  const fingerprint = hash.digest('hex').slice(0, 16);

  const cacheFile = options.cacheDirectory ? path.join(options.cacheDirectory, `reference-${fingerprint}-${seed}.json`) : undefined;
  type Cached = Array<{ file: string; cases: CaseDescription[]; results: Array<[string, unknown]> }>;
  let referenceRuns: Cached;
  if (cacheFile && existsSync(cacheFile)) {
    referenceRuns = JSON.parse(readFileSync(cacheFile, 'utf8'), reviveCachedNumbers) as Cached;
  } else {
    referenceRuns = await mapConcurrently(files, availableParallelism(), async ({ file, code, webgpu }) => {
      const run = await runReferenceFile(kitRoot, file, code, seed, webgpu);
      return { file: path.relative(kitRoot, file), cases: run.cases, results: [...run.results] };
    });
    if (cacheFile) {
      mkdirSync(path.dirname(cacheFile), { recursive: true });
      writeFileSync(`${cacheFile}.tmp`, JSON.stringify(referenceRuns, replaceCachedNumbers));
      renameSync(`${cacheFile}.tmp`, cacheFile);
    }
  }

  const components: PlannedComponent[] = [];
  const seenIds = new Set<string>();
  for (const exercise of exercises) {
    for (const component of exercise.components) {
      const caseFiles: Array<{ file: string; visibility: 'public' | 'hidden' }> = [];
      const described: Array<{ description: CaseDescription; expected: unknown }> = [];
      let webgpu = false;
      files.forEach(({ exercise: owner, file, visibility, webgpu: usesWebGpu }, index) => {
        if (owner !== exercise) return;
        const run = referenceRuns[index];
        const results = new Map(run.results);
        const mine = run.cases.filter((c) => c.component === component.name);
        if (mine.length === 0) return;
        if (mine.length !== run.cases.length) throw new GraderSetupError(`${run.file} mixes components; keep one component per case file`);
        caseFiles.push({ file, visibility });
        webgpu ||= usesWebGpu;
        for (const description of mine) {
          if (description.exercise !== exercise.id) throw new GraderSetupError(`${run.file} declares exercise '${description.exercise}' but lives in ${exercise.id}'s folder`);
          if (description.visibility !== visibility) throw new GraderSetupError(`${run.file} declares ${description.visibility} cases but lives in the ${visibility} folder`);
          const key = `${exercise.id}/${description.id}`;
          if (seenIds.has(key)) throw new GraderSetupError(`case id '${description.id}' is used twice in ${exercise.id}`);
          seenIds.add(key);
          if (!results.has(description.id)) throw new GraderSetupError(`the reference gave no result for ${key}`);
          described.push({ description, expected: results.get(description.id) });
        }
      });
      const publicWeight = described.filter((d) => d.description.visibility === 'public').reduce((total, d) => total + d.description.weight, 0);
      const cases: PlannedCase[] = described.map(({ description, expected }) => ({
        ...description,
        possible:
          description.visibility === 'public' ? (publicWeight > 0 ? (component.points * description.weight) / publicWeight : 0) : description.points,
        expected,
        comparison: description.compare as Comparison,
      }));
      if (cases.length > 0 && publicWeight === 0 && component.points > 0) {
        warnings.push(`${exercise.id} ${component.name} has no public grader cases: its ${component.points} manifest points cannot be earned`);
      }
      components.push({ exercise, component, caseFiles, cases, webgpu });
    }
  }
  for (const { file } of referenceRuns) {
    const used = components.some((c) => c.caseFiles.some((f) => path.relative(kitRoot, f.file) === file));
    if (!used) throw new GraderSetupError(`${file} names a component that its exercise does not have in course/course.ts`);
  }
  // Exercises build on the earlier ones (Exercise 2's DigitsCNN runs the student's Exercise 1 layers), so a
  // submission keeps the files of every exercise up to the last one graded, not only the graded ones'.
  const last = Math.max(-1, ...exercises.map((exercise) => course.exercises.indexOf(exercise)));
  const ownedFiles = [...new Set(course.exercises.slice(0, last + 1).flatMap((e) => e.components.flatMap((c) => c.files)))];
  return { course, kitRoot, seed, fingerprint, exercises, components, ownedFiles, warnings };
}

/**
 * Whether the students' sandbox (the isolation this machine offers) gets a WebGPU adapter: runs
 * sandbox/webgpu-probe.ts there as a WebGPU component. Undefined when it does, else why not.
 */
async function probeWebGpu(kitRoot: string): Promise<string | undefined> {
  const bundle = await bundleCases(kitRoot, [path.join(kitRoot, 'grader/sandbox/webgpu-probe.ts')], { kind: 'folder', root: path.join(kitRoot, 'solutions') }, { webgpu: true });
  if (!bundle.ok) return `the probe does not build: ${bundle.errors.map((e) => e.message).join('; ')}`;
  let adapter: string | undefined;
  let problem: string | undefined;
  const run = runCaseProcess({
    code: bundle.code,
    config: { seed: 0, skip: [] },
    isolation: probeIsolation(),
    memoryBytes: 1024 * 1024 * 1024,
    caseTimeoutMs: 60_000,
    deadline: Date.now() + 60_000,
    webgpu: true,
    onFrame: (frame) => {
      const f = frame as { t: string; data?: unknown; error?: ErrorData };
      if (f.t === 'result' && typeof f.data === 'string') adapter = f.data;
      else if (f.t === 'error' || f.t === 'load-error') problem = `${f.error?.name}: ${f.error?.message}`;
    },
  });
  const end = await run.done;
  if (adapter !== undefined) return undefined;
  return problem ?? `the probe process ended without an answer (${end.killed?.detail ?? `exit ${end.code}`}): ${end.output.trim().slice(-300)}`;
}

/** `map` with at most `limit` calls in flight, results in input order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function replaceCachedNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { $nonfinite: String(value) } : value;
}

function reviveCachedNumbers(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 1 && typeof record.$nonfinite === 'string') return Number(record.$nonfinite);
  }
  return value;
}
