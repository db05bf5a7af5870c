import type { ComponentSpec, CourseSpec, ExerciseSpec } from '../../course/course.js';
import { isNotImplemented, type ModuleFailure, type TestRecord, type TestResults } from './test-records.js';

/**
 * The scoreboard as data: one row per component of every exercise that had tests in this run, from
 * the public tests grouped by the `exN Component` name of their top-level describe, with points from
 * the course manifest, shared by the checks' weights exactly as the grader shares them
 * (points · Σ weight passed / Σ weight): the grade's public part. The grade also counts hidden checks.
 */
export type ComponentStatus = 'done' | 'in progress' | 'not started' | 'crashed' | 'no tests';

export interface ComponentScore {
  readonly exercise: ExerciseSpec;
  readonly component: ComponentSpec;
  readonly passed: number;
  readonly total: number;
  readonly earned: number;
  readonly status: ComponentStatus;
  /** Failed tests (to say what to read next) and test files that could not run. */
  readonly failures: readonly TestRecord[];
  readonly crashes: readonly ModuleFailure[];
}

export interface Scoreboard {
  readonly rows: readonly ComponentScore[];
  /** Top-level describes named like `exN Something` that the manifest does not know. */
  readonly unknownGroups: readonly string[];
}

const groupPattern = /^(ex\d+)\s+(\S+)/;

export function scoreboardOf(course: CourseSpec, results: TestResults): Scoreboard {
  // Tests that ran, and components with tests filtered out of this run (-t, a file filter).
  const byComponent = new Map<string, TestRecord[]>();
  const filteredOut = new Set<string>();
  const unknownGroups = new Set<string>();
  for (const test of results.tests) {
    const match = groupPattern.exec(test.group);
    if (!match) continue;
    const key = `${match[1]} ${match[2]}`;
    const known = course.exercises.find((e) => e.id === match[1])?.components.some((c) => c.name === match[2]);
    if (!known) unknownGroups.add(test.group);
    else if (test.state === 'skipped' || test.state === 'pending') filteredOut.add(key);
    else byComponent.set(key, [...(byComponent.get(key) ?? []), test]);
  }
  const rows: ComponentScore[] = [];
  for (const exercise of course.exercises) {
    const crashesHere = results.failedModules.filter((failure) => failure.file.startsWith(`${exercise.publicTests}/`));
    const ran = exercise.components.some((component) => byComponent.has(`${exercise.id} ${component.name}`));
    if (!ran && crashesHere.length === 0) continue;
    for (const component of exercise.components) {
      const key = `${exercise.id} ${component.name}`;
      const tests = byComponent.get(key) ?? [];
      const crashes = crashesHere.filter((failure) => testFileBelongsTo(failure.file, component));
      if (tests.length === 0 && crashes.length === 0 && filteredOut.has(key)) continue;
      rows.push(scoreComponent(exercise, component, tests, crashes));
    }
  }
  return { rows, unknownGroups: [...unknownGroups].sort() };
}

function scoreComponent(
  exercise: ExerciseSpec,
  component: ComponentSpec,
  tests: TestRecord[],
  crashes: ModuleFailure[],
): ComponentScore {
  const passed = tests.filter((test) => test.state === 'passed').length;
  const failures = tests.filter((test) => test.state === 'failed');
  const total = tests.length;
  let status: ComponentStatus;
  if (crashes.length > 0) status = 'crashed';
  else if (total === 0) status = 'no tests';
  else if (passed === total) status = 'done';
  else if (passed === 0 && failures.every((test) => isNotImplemented(test.error))) status = 'not started';
  else status = 'in progress';
  const weightOf = (records: readonly TestRecord[]): number => records.reduce((sum, test) => sum + test.weight, 0);
  const share = weightOf(tests) > 0 ? weightOf(tests.filter((test) => test.state === 'passed')) / weightOf(tests) : 0;
  const earned = status === 'crashed' || total === 0 ? 0 : Math.round(component.points * share * 100) / 100;
  return { exercise, component, passed, total, earned, status, failures, crashes };
}

/** tests/ex1/fully-connected.test.ts belongs to the component that owns layers/fully-connected.ts. */
function testFileBelongsTo(testFile: string, component: ComponentSpec): boolean {
  const base = testFile
    .split('/')
    .pop()!
    .replace(/\.test\.ts$/, '');
  return component.files.some(
    (file) =>
      file
        .split('/')
        .pop()!
        .replace(/\.(ts|wgsl)$/, '') === base,
  );
}
