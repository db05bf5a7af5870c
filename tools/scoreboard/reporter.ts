import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { course } from '../../course/course.js';
import { formatScoreboard } from './format.js';
import { scoreboardOf } from './score.js';
import { resultsOf, type TestResults } from './test-records.js';

/**
 * A vitest reporter that prints, after the usual output, one row per exercise component: tests passed,
 * points (course/course.ts) and status (a stub's NotImplementedError counts as "not started"), then
 * one line per failing test saying which handout section to read. Used by the kit's and the
 * handout's vitest.config.ts, after 'default'.
 *
 * With DLKIT_RESULTS_JSON=<file> it also writes the raw results there (tools/checks read them).
 */
export default class ScoreboardReporter implements Reporter {
  #vitest?: Vitest;

  /** `implementation`: the folder the #impl alias points at, for the title. */
  constructor(private readonly options: { implementation: 'solutions' | 'exercises' }) {}

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const root = this.#vitest?.config.root ?? process.cwd();
    const results = resultsOf(testModules, root);
    const resultsFile = process.env.DLKIT_RESULTS_JSON;
    if (resultsFile) writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    const reference = this.options.implementation === 'solutions';
    const title = reference
      ? 'Scoreboard: public tests against solutions/ (the reference)'
      : 'Scoreboard: public tests against exercises/ (your code); points are an estimate, hidden tests also count';
    const text = formatScoreboard(scoreboardOf(course, results), title);
    if (text) this.#print(text);
    this.#print(closingLine(results));
  }

  #print(text: string): void {
    if (this.#vitest) this.#vitest.logger.log(text);
    else process.stdout.write(`${text}\n`);
  }
}

/**
 * One plain line that any CI reads without knowing vitest: `tests: 512 passed, 0 failed, 3 skipped`.
 * A test file that could not load counts as one failure.
 */
export function closingLine(results: TestResults): string {
  const count = (state: string): number => results.tests.filter((test) => test.state === state).length;
  const failed = count('failed') + results.failedModules.length;
  return `tests: ${count('passed')} passed, ${failed} failed, ${count('skipped') + count('pending')} skipped`;
}
