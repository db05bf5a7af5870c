import { isNotImplemented, type TestResults } from '../scoreboard/test-records.js';

/**
 * On the stubs every public test must fail, and fail with NotImplementedError: a test that passes
 * on a stub gives points for nothing; one that fails otherwise (a compile error, a ShapeError, an
 * assertion on a default value) tells a student something other than "not started".
 */
export function checkStubFailures(results: TestResults): string[] {
  const problems: string[] = [];
  for (const failure of results.failedModules)
    problems.push(`${failure.file} does not load on the stubs: ${failure.error.name}: ${failure.error.message}`);
  for (const test of results.tests) {
    if (test.state === 'passed')
      problems.push(`${test.file}: '${test.fullName}' passes on the stubs: it must exercise the student's code`);
    else if (test.state === 'failed' && !isNotImplemented(test.error)) {
      problems.push(
        `${test.file}: '${test.fullName}' fails on the stubs with ${test.error?.name ?? 'an unknown error'} (${test.error?.message ?? ''}), not NotImplementedError`,
      );
    } else if (test.state === 'pending') problems.push(`${test.file}: '${test.fullName}' did not finish on the stubs`);
    // 'skipped' is no pass: a test skipped with a stated reason (the GPU tests without an adapter) scores nothing.
  }
  return problems;
}

/** On the reference every public test passes. */
export function checkReferencePasses(results: TestResults): string[] {
  return [
    ...results.failedModules.map(
      (failure) => `${failure.file} does not load on the reference: ${failure.error.name}: ${failure.error.message}`,
    ),
    ...results.tests
      .filter((test) => test.state !== 'passed')
      .map(
        (test) =>
          `${test.file}: '${test.fullName}' is ${test.state} on the reference${test.error ? `: ${test.error.name}: ${test.error.message}` : ''}`,
      ),
  ];
}
