import { describe, expect, it } from 'vitest';
import { course } from '../../course/course.js';
import { allCases } from './helpers.js';
import { reference, scoreboardEqualsGrade, withVariants } from './scoreboard-equality.js';

/**
 * The scoreboard is the grade (DESIGN §5), for the whole course: a bugged reference, where every
 * component carries a bugged variant from tests/bugged (the first that applies and is not racy), a
 * realistic mistake each (a component's checks use test-local doubles, so the mistakes do not disturb
 * each other), run through vitest and through the grader, compared component by component. The
 * reference is graded beside it and must earn every point, public and hidden.
 * (tests/tools/bugged-variants.test.ts keeps every variant applicable; each was shown to fail its
 * component's checks when it was written: `DLKIT_IMPL=.bugged npx vitest run …`, tests/bugged/.)
 * The samples' side is scoreboard-equals-grade-samples.test.ts.
 */
const buggedReference = withVariants('bugged');

describe('the scoreboard is the grade: a bugged reference, whole course', () => {
  const graded = scoreboardEqualsGrade('bugged', [buggedReference], [reference()]);

  it('the reference earns every point, public and hidden', () => {
    const report = graded.reportOf('reference');
    const failing = allCases(report).filter((c) => c.status !== 'passed');
    expect(
      failing.map((c) => `${c.component} ${c.id}: ${c.status} ${c.reason}`),
      'the reference must pass every check',
    ).toEqual([]);
    expect(report.total.final.earned).toBe(report.total.final.possible);
  });

  it('every bugged variant laid into the bugged reference is caught: its component loses public points', () => {
    const report = graded.reportOf('bugged');
    const uncaught: string[] = [];
    for (const variant of buggedReference.applied) {
      const component = report.exercises
        .find((e) => e.id === variant.exercise)
        ?.components.find((c) => c.name === variant.component);
      if (component && component.public.possible > 0 && component.public.earned >= component.public.possible)
        uncaught.push(`${variant.id} (${variant.bug})`);
    }
    expect(buggedReference.applied.length, 'a variant for nearly every component').toBeGreaterThan(
      course.exercises.flatMap((e) => e.components).length - 3,
    );
    expect(uncaught).toEqual([]);
  });
});
