import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  availableSuites,
  runSuites,
  selectSuites,
  UnknownSuiteError,
  type SuiteRecord,
} from '../../bench/lib/suites.js';

/** The benchmark runner's suite contract (bench/README.md), on fixture suites; nothing here is timed. */
const fixtures = fileURLToPath(new URL('./fixtures/suites/', import.meta.url));
const realSuites = fileURLToPath(new URL('../../bench/suites/', import.meta.url));

describe('bench suites', () => {
  it('discovers suites from the files in the folder', () => {
    expect(availableSuites(fixtures)).toEqual(['alpha', 'failing', 'gpu']);
    expect(availableSuites(realSuites)).toContain('core');
  });

  it('runs every default suite when none is named, and a runByDefault = false suite only when named', async () => {
    expect((await selectSuites(fixtures, [])).map((s) => s.name)).toEqual(['alpha', 'failing']);
    expect((await selectSuites(fixtures, ['gpu', 'alpha'])).map((s) => s.name)).toEqual(['gpu', 'alpha']);
  });

  it('rejects an unknown suite with the list of suites', async () => {
    await expect(selectSuites(fixtures, ['alpha', 'nope'])).rejects.toThrow(UnknownSuiteError);
    await expect(selectSuites(fixtures, ['nope'])).rejects.toThrow(
      "unknown suite 'nope'; the suites are: alpha, failing, gpu",
    );
  });

  it('emits each record with its suite first, reports a failing suite as a record and runs the rest', async () => {
    const records: SuiteRecord[] = [];
    const log: string[] = [];
    const suites = await selectSuites(fixtures, ['failing', 'alpha']);
    const failures = await runSuites(
      suites,
      { quick: true },
      (r) => records.push(r),
      (m) => log.push(m),
    );
    expect(failures).toBe(1);
    expect(records).toEqual([
      { suite: 'failing', name: 'before-failure' },
      { suite: 'failing', name: 'error', error: 'fixture failure' },
      { suite: 'alpha', name: 'first', quick: true, ms_per_iteration: 1 },
      { suite: 'alpha', name: 'second', gflops: 2 },
    ]);
    expect(Object.keys(records[2]).slice(0, 2)).toEqual(['suite', 'name']);
    expect(log.some((line) => line.includes('suite failing failed'))).toBe(true);
  });
});
