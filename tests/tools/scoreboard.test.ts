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
      failedModules: [{ file: 'tests/ex2/affine.test.ts', error: { name: 'SyntaxError', message: "Unexpected token '}'" } }],
    });
    expect(board.rows.map((row) => [row.exercise.id, row.component.name, row.passed, row.total, row.earned, row.status])).toEqual([
      ['ex1', 'Doubler', 1, 3, 2, 'in progress'],
      ['ex2', 'Square', 0, 1, 0, 'not started'],
      ['ex2', 'Affine', 0, 0, 0, 'crashed'],
    ]);
    expect(board.unknownGroups).toEqual(['ex2 Tripler']);
    const text = formatScoreboard(board, 'Scoreboard');
    expect(text).toContain("✗ ex1 Doubler › b (AssertionError): read docs/exercises/1-scaling.md#doubler");
    expect(text).toContain("✗ ex1 Doubler › c (NotImplementedError): read docs/exercises/1-scaling.md#doubler");
    expect(text).toContain("✗ ex2 Affine: tests/ex2/affine.test.ts could not run (SyntaxError: Unexpected token '}'). Fix that first; see docs/exercises/2-polynomials.md#affine.");
    expect(text).toContain("! tests in describe('ex2 Tripler') match no component in course/course.ts: they are not scored");
    expect(text).toMatch(/total Polynomials\s+0\/1\s+0\/14/);
    expect(text).toContain('○ ex2 Square: not started. Read docs/exercises/2-polynomials.md#square; then fill in exercises/activations/square.ts.');
    const wholeExercise = { ...course, exercises: [{ ...course.exercises[1], components: [{ name: 'Square', files: [], handout: 'docs/x.md#all', points: 1 }] }] };
    expect(formatScoreboard(scoreboardOf(wholeExercise, { tests: [test('ex2 Square', 'a', 'failed', notImplemented)], failedModules: [] }), 'S')).toContain(
      '○ ex2 Square: not started. Read docs/x.md#all; it runs your components of ex2.',
    );
  });

  it('prints nothing when no exercise test ran, and caps the read-next lines per component', () => {
    expect(formatScoreboard(scoreboardOf(course, { tests: [test('framework Tensor', 'a', 'passed')], failedModules: [] }), 'Scoreboard')).toBe('');
    const many = Array.from({ length: 7 }, (_, index) => test('ex1 Doubler', `t${index}`, 'failed', { name: 'AssertionError', message: '' }));
    const text = formatScoreboard(scoreboardOf(course, { tests: [test('ex1 Doubler', 'ok', 'passed'), ...many], failedModules: [] }), 'Scoreboard');
    expect(text.match(/✗ ex1 Doubler › t/g)).toHaveLength(4);
    expect(text).toContain('… and 3 more failing tests of ex1 Doubler: run them alone with npm test -- -t "ex1 Doubler"');
  });
});
