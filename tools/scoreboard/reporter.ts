import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { course } from '../../course/course.js';
import { formatScoreboard } from './format.js';
import { scoreboardOf } from './score.js';
import { resultsOf, type TestResults } from './test-records.js';

/**
 * A vitest reporter that prints the scoreboard: per exercise component, the checks passed, the points
 * (course/course.ts, shared by the checks' weights exactly as the grader shares them) and the status (a
 * stub's NotImplementedError counts as "not started"), the first failure of each component in progress
 * and what to do next. Used by the kit's and the handout's vitest.config.ts.
 *
 * Options: `implementation`, the folder the #impl alias points at (for the title and to tell which
 * files still hold stubs). With `compact` (the handout) it is the only reporter: nothing else is
 * printed but the scoreboard, unless one component ran alone (`npm test -- -t "ex1 ReLU"`, or one test
 * file) or DLKIT_TRACES=1, which print every failure in full.
 *
 * With DLKIT_RESULTS_JSON=<file> it also writes the raw results there (tools/checks read them).
 */
export default class ScoreboardReporter implements Reporter {
  #vitest?: Vitest;

  constructor(private readonly options: { implementation: 'solutions' | 'exercises'; compact?: boolean }) {}

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
      ? 'Scoreboard: public checks against solutions/ (the reference)'
      : 'Scoreboard: public checks against exercises/ (your code). These points are the public part of your grade; hidden checks add the rest.';
    const board = scoreboardOf(course, results);
    const oneComponent = board.rows.filter((row) => row.total > 0).length === 1;
    const holdsStub = (file: string): boolean => {
      const where = path.join(root, this.options.implementation, file);
      // A TypeScript stub throws NotImplementedError; a WGSL stub carries the runtime's marker comment.
      return existsSync(where) && /NotImplementedError|dlkit:not-implemented/.test(readFileSync(where, 'utf8'));
    };
    const text = formatScoreboard(board, title, {
      verbose: oneComponent || process.env.DLKIT_TRACES === '1',
      holdsStub,
    });
    if (text) this.#print(text);
    if (this.options.compact) this.#print(otherFailures(results));
    this.#print(closingLine(results));
  }

  #print(text: string): void {
    if (!text) return;
    if (this.#vitest) this.#vitest.logger.log(text);
    else process.stdout.write(`${text}\n`);
  }
}

/** In the compact view, failures the scoreboard does not show: tests outside any component, files that did not load. */
function otherFailures(results: TestResults): string {
  const lines: string[] = [];
  for (const test of results.tests) {
    if (test.state === 'failed' && !/^ex\d+ /.test(test.group))
      lines.push(`✗ ${test.fullName}: ${test.error?.name ?? 'failed'}: ${test.error?.message ?? ''}`);
  }
  for (const failure of results.failedModules) {
    if (!/^tests\/ex\d+\//.test(failure.file))
      lines.push(`✗ ${failure.file} could not run: ${failure.error.name}: ${failure.error.message}`);
  }
  return lines.join('\n');
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
