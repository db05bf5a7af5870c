import { describe, expect, it } from 'vitest';
import { formatScoreboard } from '../../tools/scoreboard/format.js';
import { scoreboardOf } from '../../tools/scoreboard/score.js';
import type { TestRecord } from '../../tools/scoreboard/test-records.js';
import { fixtureCourseKit } from './fixture-kit.js';

const { course } = await fixtureCourseKit();
const notImplemented = { name: 'NotImplementedError', message: 'ex1 Doubler.forward is not implemented yet' };
const test = (group: string, name: string, state: TestRecord['state'], error?: TestRecord['error']): TestRecord => ({
  file: `tests/${group.split(' ')[0]}/x.test.ts`,
  group,
  fullName: `${group} > ${name}`,
  state,
  weight: 1,
  ...(error ? { error } : {}),
});

describe('tools scoreboard', () => {
  it('scores each component from its tests: done, not started, in progress, crashed, filtered out', () => {
    const board = scoreboardOf(course, {
      tests: [
        test('ex1 Doubler', 'a', 'passed'),
        test('ex1 Doubler', 'b', 'failed', { name: 'AssertionError', message: 'expected 2' }),
        test('ex1 Doubler', 'c', 'failed', notImplemented),
        test('ex1 Negate', 'a', 'skipped'),
        test('ex2 Square', 'a', 'failed', notImplemented),
        test('ex2 Tripler', 'a', 'passed'),
        test('framework Tensor', 'a', 'passed'),
      ],
      failedModules: [
        { file: 'tests/ex2/affine.test.ts', error: { name: 'SyntaxError', message: "Unexpected token '}'" } },
      ],
    });
    expect(
      board.rows.map((row) => [row.exercise.id, row.component.name, row.passed, row.total, row.earned, row.status]),
    ).toEqual([
      ['ex1', 'Doubler', 1, 3, 2, 'in progress'],
      ['ex2', 'Square', 0, 1, 0, 'not started'],
      ['ex2', 'Affine', 0, 0, 0, 'crashed'],
    ]);
    expect(board.unknownGroups).toEqual(['ex2 Tripler']);
    const text = formatScoreboard(board, 'Scoreboard');
    expect(text).toContain('  ◐ Doubler     1/3 checks      2 / 6');
    expect(text).toContain(
      '      ✗ b\n        AssertionError: expected 2\n        read docs/exercises/1-scaling.md#doubler; 1 more failing; run only these: npm test -- -t "ex1 Doubler"',
    );
    expect(text).toContain(
      "tests/ex2/affine.test.ts could not run (SyntaxError: Unexpected token '}'). Fix that first; see docs/exercises/2-polynomials.md#affine",
    );
    expect(text).toContain(
      "! tests in describe('ex2 Tripler') match no component in course/course.ts: they are not scored",
    );
    expect(text).toContain('ex2  Polynomials: 0 / 14 points');
    expect(text).toContain(
      'Next: ex2 Square: read docs/exercises/2-polynomials.md#square; then fill in exercises/activations/square.ts.',
    );
    expect(text).toContain('total: 2 / 20 public points; 0 of 3 components done');
    const wholeExercise = {
      ...course,
      exercises: [
        { ...course.exercises[1], components: [{ name: 'Square', files: [], handout: 'docs/x.md#all', points: 1 }] },
      ],
    };
    expect(
      formatScoreboard(
        scoreboardOf(wholeExercise, { tests: [test('ex2 Square', 'a', 'failed', notImplemented)], failedModules: [] }),
        'S',
      ),
    ).toContain('Next: ex2 Square: read docs/x.md#all; it runs your components of ex2.');
  });

  it("shares points by the checks' weights, names only files that still hold a stub, and shows every failure when verbose", () => {
    const weighted = scoreboardOf(course, {
      tests: [
        { ...test('ex1 Doubler', 'a', 'passed'), weight: 3 },
        test('ex1 Doubler', 'b', 'failed', { name: 'CheckFailure', message: 'x' }),
      ],
      failedModules: [],
    });
    expect(weighted.rows[0].earned).toBe(4.5);
    const fresh = scoreboardOf(course, {
      tests: [test('ex2 Affine', 'a', 'failed', notImplemented)],
      failedModules: [],
    });
    expect(formatScoreboard(fresh, 'S', { holdsStub: () => false })).toContain(
      'Next: ex2 Affine: read docs/exercises/2-polynomials.md#affine; it runs your components of ex2.',
    );
    const many = Array.from({ length: 7 }, (_, index) =>
      test('ex1 Doubler', `t${index}`, 'failed', { name: 'AssertionError', message: `m${index}` }),
    );
    const board = scoreboardOf(course, { tests: [test('ex1 Doubler', 'ok', 'passed'), ...many], failedModules: [] });
    expect(formatScoreboard(board, 'S').match(/✗ t/g)).toHaveLength(1);
    expect(formatScoreboard(board, 'S')).toContain('6 more failing; run only these: npm test -- -t "ex1 Doubler"');
    expect(formatScoreboard(board, 'S', { verbose: true }).match(/✗ t/g)).toHaveLength(7);
  });

  it('prints nothing when no exercise test ran', () => {
    expect(
      formatScoreboard(
        scoreboardOf(course, { tests: [test('framework Tensor', 'a', 'passed')], failedModules: [] }),
        'Scoreboard',
      ),
    ).toBe('');
  });
});
