import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course } from '../../course/course.js';
import { bugged } from '../bugged/index.js';
import { applyVariant } from '../bugged/variant.js';
import { kitRoot } from './fixture-kit.js';

/**
 * The bugged variants (tests/bugged/) stay usable: every component of the course has at least one,
 * each names a real component and file, and each still applies to today's solution (its text to replace
 * occurs exactly once). Whether the checks catch them is tests/grader/scoreboard-equals-grade.test.ts.
 */
describe('tools bugged variants', () => {
  it('every component has a realistic mistake on file, with a unique id', () => {
    const ids = bugged.map((variant) => variant.id);
    expect(
      ids.filter((id, index) => ids.indexOf(id) !== index),
      'variant ids must be unique',
    ).toEqual([]);
    const missing = course.exercises.flatMap((exercise) =>
      exercise.components
        .filter((component) => !bugged.some((v) => v.exercise === exercise.id && v.component === component.name))
        .map((component) => `${exercise.id} ${component.name}`),
    );
    expect(missing, 'add a bugged variant to tests/bugged/<exercise>.ts for each').toEqual([]);
  });

  it('every variant names a component of the manifest and applies to its solution file', () => {
    const problems: string[] = [];
    for (const variant of bugged) {
      const exercise = course.exercises.find((e) => e.id === variant.exercise);
      if (!exercise?.components.some((c) => c.name === variant.component))
        problems.push(`${variant.id}: no component ${variant.exercise} ${variant.component}`);
      try {
        applyVariant(variant, readFileSync(path.join(kitRoot, 'solutions', variant.file), 'utf8'));
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    expect(problems).toEqual([]);
  });
});
