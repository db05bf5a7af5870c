import { describe, expect, it } from 'vitest';
import { allCases } from './helpers.js';
import { fromSample, mixedSamples, scoreboardEqualsGrade, stubs } from './scoreboard-equality.js';

/**
 * The scoreboard is the grade (DESIGN §5), for bundled samples: the untouched stubs and the half-done
 * sample (all exercises), and Exercise 1 with real but wrong or sneaky code: the sample that does not
 * compile, and one that mixes three samples (FullyConnected hard-coding the public outputs, a SoftMax
 * returning NaN, a CrossEntropyLoss returning an object that pretends to be a number). Each is run
 * through vitest and through the grader and compared component by component.
 *
 * Samples that attack the process itself (exiting, looping, patching the test runner) are not here: on
 * the student's own machine they can print any scoreboard they like; grader/samples and samples.test.ts
 * check what the grader makes of them. The bugged reference is scoreboard-equals-grade.test.ts.
 */
describe('the scoreboard is the grade: samples', () => {
  const graded = scoreboardEqualsGrade('samples', [
    stubs(),
    fromSample('half-done'),
    fromSample('does-not-compile', ['ex1']),
    mixedSamples(),
  ]);

  it('the stubs earn no point', () => {
    const earning = allCases(graded.reportOf('stubs')).filter((c) => c.earned > 0);
    expect(
      earning.map((c) => `${c.component} ${c.id}`),
      'the stubs must not earn points',
    ).toEqual([]);
  });
});
