import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { course } from '../../course/course.js';
import { defaultJobs, gradeBatch } from '../../grader/batch.js';
import type { Report } from '../../grader/report/report-types.js';
import { listRecipes, sampleFiles, stubSource } from '../../grader/samples/build-samples.js';
import { runPublicTests } from '../../tools/checks/run-public-tests.js';
import { loadKit } from '../../tools/kit.js';
import { scoreboardOf } from '../../tools/scoreboard/score.js';
import { bugged } from '../bugged/index.js';
import { applyVariant, VariantError, type BuggedVariant } from '../bugged/variant.js';
import { allCases, kitRoot, TEST_LIMITS, TEST_SEED, temporaryFolder } from './helpers.js';

/**
 * The promise of DESIGN §5, as two kit tests share it (scoreboard-equals-grade*.test.ts, split so that
 * vitest runs them side by side): for the same code, the points the student's scoreboard shows for a
 * component are exactly the public points of the grader's report. Each implementation is run both ways,
 * the public tests through vitest (what `npm test` prints) and the grader in its sandbox, and the two are
 * compared component by component to 0.01.
 */
/** Samples whose Exercise 1 files are laid together over the reference (each touches another component). */
const MIXED_SAMPLES = ['hostile-hardcoded-public', 'hostile-nan', 'hostile-lying-number'];

export interface Implementation {
  readonly name: string;
  /** Owned file (relative to exercises/) → source, laid over `base`. */
  readonly files: ReadonlyMap<string, string>;
  readonly base: 'solutions' | 'exercises';
  /** The exercises compared (all when undefined). */
  readonly exercises?: readonly string[];
}

export const ownedFiles = course.exercises.flatMap((exercise) =>
  exercise.components.flatMap((component) => component.files),
);

/**
 * The reference with one bugged variant per component: the first that still applies on top of the
 * others (two components' variants may edit the same line of a shared file, e.g. DigitsCNN's of He's).
 */
export function withVariants(name: string): Implementation & { applied: BuggedVariant[] } {
  const files = new Map<string, string>();
  const applied: BuggedVariant[] = [];
  const components = [...new Set(bugged.map((variant) => `${variant.exercise} ${variant.component}`))];
  for (const component of components) {
    // A racy variant (a GPU kernel whose result depends on scheduling) could score differently in the two runs.
    for (const variant of bugged.filter((v) => `${v.exercise} ${v.component}` === component && !v.racy)) {
      const source = files.get(variant.file) ?? readFileSync(path.join(kitRoot, 'solutions', variant.file), 'utf8');
      try {
        files.set(variant.file, applyVariant(variant, source));
      } catch (error) {
        if (error instanceof VariantError) continue;
        throw error;
      }
      applied.push(variant);
      break;
    }
  }
  return { name, files, base: 'solutions', applied };
}

/** The owned files a sample hands in that differ from its base. */
function sampleOverlay(name: string): { files: Map<string, string>; base: 'solutions' | 'exercises' } {
  const recipe = listRecipes(kitRoot).find((entry) => entry.name === name)!.recipe;
  const base = recipe.base === 'reference' ? 'solutions' : 'exercises';
  const files = new Map<string, string>();
  for (const [relative, text] of sampleFiles(kitRoot, name, recipe)) {
    const owned =
      recipe.layout === 'flat'
        ? ownedFiles.find((file) => path.posix.basename(file) === relative)
        : relative.replace(/^exercises\//, '');
    if (owned && ownedFiles.includes(owned)) files.set(owned, text);
  }
  return { files, base };
}

export function fromSample(name: string, exercises?: readonly string[]): Implementation {
  return { name, ...sampleOverlay(name), ...(exercises ? { exercises } : {}) };
}

export function mixedSamples(): Implementation {
  const files = new Map<string, string>();
  for (const name of MIXED_SAMPLES) {
    for (const [file, text] of sampleOverlay(name).files)
      if (text !== readFileSync(path.join(kitRoot, 'solutions', file), 'utf8')) files.set(file, text);
  }
  return { name: 'ex1-hostile-mix', files, base: 'solutions', exercises: ['ex1'] };
}

/** The untouched stubs, every owned file as the stub tool writes it. */
export function stubs(): Implementation {
  return {
    name: 'stubs',
    files: new Map(ownedFiles.map((file) => [file, stubSource(kitRoot, file)])),
    base: 'exercises',
  };
}

/** The reference solutions as a submission. */
export function reference(): Implementation {
  return {
    name: 'reference',
    files: new Map(ownedFiles.map((file) => [file, readFileSync(path.join(kitRoot, 'solutions', file), 'utf8')])),
    base: 'solutions',
  };
}

export interface Graded {
  reportOf(name: string): Report;
}

/**
 * Grades `compared` (and `alsoGraded`, graded but not run through vitest) and runs the public tests of
 * `compared` through vitest, before the tests of the calling file; then one test per compared
 * implementation asserts the scoreboard's points per component equal the report's public points.
 */
export function scoreboardEqualsGrade(
  name: string,
  compared: readonly Implementation[],
  alsoGraded: readonly Implementation[] = [],
): Graded {
  const root = temporaryFolder(`equality-${name}`);
  const folders: string[] = [];
  const reports: Report[] = [];
  const scoreboards = new Map<string, ReturnType<typeof scoreboardOf>>();

  /** Grades the implementations as one class, on the given exercises only (all when undefined). */
  async function gradeAll(
    label: string,
    everyone: readonly Implementation[],
    exercises?: readonly string[],
  ): Promise<void> {
    const submissions = path.join(root, label);
    for (const implementation of everyone) {
      for (const file of ownedFiles) {
        const text =
          implementation.files.get(file) ?? readFileSync(path.join(kitRoot, implementation.base, file), 'utf8');
        const target = path.join(submissions, implementation.name, 'exercises', file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
      }
    }
    const graded = await gradeBatch({
      kitRoot,
      submissions,
      out: path.join(root, `${label}-out`),
      seed: TEST_SEED,
      resume: false,
      jobs: defaultJobs(),
      limits: { ...TEST_LIMITS, caseTimeoutMs: 20_000, fileTimeoutMs: 60_000 },
      gradescope: false,
      handoutBase: 'https://course.example/dlkit',
      ...(exercises ? { exercises } : {}),
    });
    reports.push(...graded.reports);
  }

  beforeAll(async () => {
    const everyone = [...alsoGraded, ...compared];
    // The implementations compared on some exercises only are graded on those alone: the rest of their code
    // is the reference's or the stubs', which a whole-course implementation covers.
    const whole = everyone.filter((i) => i.exercises === undefined);
    if (whole.length > 0) await gradeAll('whole-course', whole);
    for (const exercises of new Set(everyone.flatMap((i) => (i.exercises ? [i.exercises.join(',')] : [])))) {
      await gradeAll(
        `only-${exercises.replace(/,/g, '-')}`,
        everyone.filter((i) => i.exercises?.join(',') === exercises),
        exercises.split(','),
      );
    }
    const kit = await loadKit(kitRoot);
    for (const implementation of compared) {
      // The implementation as a folder directly inside the kit (its files import ../../framework).
      const folder = path.join(kitRoot, `.bugged-equality-${implementation.name}-${process.pid}`);
      folders.push(folder);
      cpSync(path.join(kitRoot, implementation.base), folder, { recursive: true });
      for (const [file, text] of implementation.files) writeFileSync(path.join(folder, file), text);
      const results = runPublicTests(kit, folder, implementation.exercises);
      scoreboards.set(implementation.name, scoreboardOf(course, results));
    }
  }, 900_000);

  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  const graded: Graded = {
    reportOf(student: string): Report {
      const report = reports.find((r) => r.student.id === student);
      if (!report) throw new Error(`no report for ${student}`);
      return report;
    },
  };

  for (const implementation of compared) {
    it(`${implementation.name}: the scoreboard's points per component equal the report's public points`, () => {
      const board = scoreboards.get(implementation.name)!;
      const report = graded.reportOf(implementation.name);
      const graderPoints = new Map<string, { earned: number; possible: number }>(
        report.exercises.flatMap((exercise) =>
          exercise.components.map((c) => [`${exercise.id} ${c.name}`, c.public] as const),
        ),
      );
      const differences: string[] = [];
      for (const row of board.rows) {
        const key = `${row.exercise.id} ${row.component.name}`;
        const grade = graderPoints.get(key);
        if (!grade || grade.possible === 0) continue; // not graded here (e.g. WebGPU without an adapter)
        if (Math.abs(row.earned - grade.earned) > 0.01) {
          const failing = allCases(report)
            .filter((c) => c.component === row.component.name && c.visibility === 'public' && c.status !== 'passed')
            .map((c) => `${c.id}: ${c.status}`);
          differences.push(
            `${key}: scoreboard ${row.earned}, grader ${grade.earned} (grader fails ${failing.join('; ') || 'nothing'}; scoreboard fails ${row.failures.map((f) => f.fullName).join('; ') || 'nothing'})`,
          );
        }
      }
      expect(differences).toEqual([]);
      expect(board.rows.length, 'the scoreboard ran the components').toBeGreaterThan(0);
    });
  }
  return graded;
}
