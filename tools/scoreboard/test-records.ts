import { stripVTControlCharacters } from 'node:util';
import path from 'node:path';
import type { TestCase, TestModule } from 'vitest/node';
import type {} from '../../tests/harness/register.js';
import { toPosix } from '../kit.js';

/**
 * Test results as plain data: what the scoreboard, the stub checks and the handout test read.
 * Taken from vitest's reporter API (TestModule / TestCase), so nothing here depends on how vitest
 * prints.
 */
export interface TestRecord {
  /** Test file relative to the project root: `tests/ex1/fully-connected.test.ts`. */
  readonly file: string;
  /** Name of the top-level describe: `ex1 FullyConnected`. */
  readonly group: string;
  /** `ex1 FullyConnected > gradients > weight and bias`. */
  readonly fullName: string;
  readonly state: 'passed' | 'failed' | 'skipped' | 'pending';
  /** A component check's relative weight (tests/harness/register.ts puts it in the test's meta); 1 otherwise. */
  readonly weight: number;
  /** The first error of a failed test. */
  readonly error?: { readonly name: string; readonly message: string };
}

/** A test file that could not run at all (an import or syntax error): it has no test records. */
export interface ModuleFailure {
  readonly file: string;
  readonly error: { readonly name: string; readonly message: string };
}

export interface TestResults {
  readonly tests: TestRecord[];
  readonly failedModules: ModuleFailure[];
}

export function resultsOf(testModules: ReadonlyArray<TestModule>, root: string): TestResults {
  const tests: TestRecord[] = [];
  const failedModules: ModuleFailure[] = [];
  for (const testModule of testModules) {
    const file = toPosix(path.relative(root, testModule.moduleId));
    for (const error of testModule.errors()) failedModules.push({ file, error: simplify(error) });
    for (const test of testModule.children.allTests()) tests.push(recordOf(test, file));
  }
  return { tests, failedModules };
}

function recordOf(test: TestCase, file: string): TestRecord {
  const result = test.result();
  let top: { name: string; parent: unknown; type: string } = test;
  while (top.parent && (top.parent as { type: string }).type === 'suite') top = top.parent as typeof top;
  const error = result.state === 'failed' && result.errors.length > 0 ? simplify(result.errors[0]) : undefined;
  const weight = test.meta().checkWeight;
  return {
    file,
    group: top.name,
    fullName: test.fullName,
    state: result.state,
    weight: typeof weight === 'number' && weight > 0 ? weight : 1,
    ...(error ? { error } : {}),
  };
}

interface ErrorLike {
  name?: string;
  message?: string;
  cause?: unknown;
}

/**
 * The error to report: a NotImplementedError anywhere in the `cause` chain wins (fast-check wraps the
 * error a property threw in "Property failed after 1 tests", with the original as its cause), else
 * the error itself.
 */
function simplify(error: ErrorLike): { name: string; message: string } {
  for (
    let link: unknown = error, depth = 0;
    link && typeof link === 'object' && depth < 8;
    link = (link as ErrorLike).cause, depth++
  ) {
    // vitest's default reporter, printing first, renames a cause to 'Caused by: <name>'.
    if ((link as ErrorLike).name?.replace(/^Caused by:\s*/, '') === 'NotImplementedError')
      return { ...oneLine(link as ErrorLike), name: 'NotImplementedError' };
  }
  return oneLine(error);
}

/** Name and the start of the message: its first lines (a check's message says what was expected and what came). */
function oneLine(error: ErrorLike): { name: string; message: string } {
  // Some errors (a failed transform) carry colour codes; the scoreboard is plain text.
  const lines = stripVTControlCharacters(error.message ?? '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const message = lines.slice(0, 4).join('\n');
  return { name: error.name ?? 'Error', message: message.length > 600 ? `${message.slice(0, 597)}...` : message };
}

/** True when the failure is a stub's NotImplementedError (by name: errors cross a process boundary). */
export const isNotImplemented = (error: { name: string; message: string } | undefined): boolean =>
  error !== undefined && (error.name === 'NotImplementedError' || /^NotImplementedError\b/.test(error.message));
