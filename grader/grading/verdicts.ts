import { stripVTControlCharacters } from 'node:util';
import { compareData } from '../compare.js';
import type { CaseProcessEnd } from '../sandbox/case-process.js';
import type { ErrorData } from '../sandbox/protocol.js';
import type { Limits } from '../grade-submission.js';
import type { PlannedCase } from '../plan.js';
import { settledAs, type Settled } from './case-ledger.js';

/**
 * What each thing a case process can say or do means for the case it concerns: a result (judged by
 * the check's own `verify`, and for a hidden case the comparison with the reference), a thrown error,
 * or the end of the process while the case ran. A hidden case's reason never carries its inputs, its
 * values or the error's text.
 */

/** The longest failure message of a public check that a report keeps. */
const MAX_REASON_CHARACTERS = 1500;

const HIDDEN_WRONG = 'wrong result (hidden test: the details are withheld; run the public tests to find the mistake)';

/**
 * The only way a case earns points: the check's own `verify` on the data (the same function the
 * student's `npm test` calls on the same data) and, for hidden cases, the comparison with the
 * reference's data on the same seed.
 */
export function judge(planned: PlannedCase, received: unknown): Settled {
  const hidden = planned.visibility === 'hidden';
  if (planned.check.verify) {
    try {
      planned.check.verify(received);
    } catch (error) {
      return settledAs('wrong', hidden ? HIDDEN_WRONG : `wrong result: ${bounded(messageOf(error))}`);
    }
  }
  if (hidden && planned.expected !== undefined && planned.check.matchReference !== false) {
    const tolerance = planned.check.matchReference;
    const verdict = compareData(
      received,
      planned.expected,
      tolerance === 'exact'
        ? { kind: 'exact' }
        : { kind: 'close', ...(typeof tolerance === 'number' ? { tolerance } : {}) },
    );
    if (!verdict.pass) return settledAs('wrong', HIDDEN_WRONG);
  }
  return { earned: round(planned.possible), status: 'passed', reason: '' };
}

/** A case whose `run` threw: not implemented yet (with the manifest's handout link), not data, or an error. */
export function fromError(planned: PlannedCase, error: ErrorData, handout: string): Settled {
  const hidden = planned.visibility === 'hidden';
  if (error.notImplemented) {
    // The component named by the stub is the student's text; the handout link comes from the manifest.
    const component = hidden ? '' : ` (${error.notImplemented.component})`;
    return settledAs('not-implemented', `not implemented yet${component}: read ${handout}`);
  }
  if (error.name === 'NotDataError')
    return settledAs(
      'wrong',
      hidden
        ? 'returned something that is not plain data (a Proxy, a getter, a class instance or the wrong type)'
        : `returned something that is not data: ${error.message}`,
    );
  if (hidden)
    return settledAs('error', 'threw an error (hidden test: the error is withheld; run the public tests to reproduce)');
  return settledAs('error', `threw ${error.name}: ${bounded(error.message)}`);
}

/** The case that was running when its process ended or was killed. */
export function fromEnd(end: CaseProcessEnd, limits: Limits): Settled {
  if (end.killed?.reason === 'case-timeout') {
    return settledAs(
      'timeout',
      `timed out: no result within ${limits.caseTimeoutMs / 1000} s (an infinite loop, a promise that never settles, or far too slow)`,
    );
  }
  if (end.killed?.reason === 'submission-timeout')
    return settledAs(
      'timeout',
      `timed out: the submission used up its total time limit (${limits.submissionTimeoutMs / 1000} s)`,
    );
  if (end.killed?.reason === 'file-timeout')
    return settledAs(
      'timeout',
      `timed out: this component's tests used up their time limit (${limits.fileTimeoutMs / 1000} s)`,
    );
  if (end.killed?.reason === 'channel') return settledAs('crashed', `the process was stopped: ${end.killed.detail}`);
  const outOfMemory =
    end.code === 134 || end.signal === 'SIGABRT' || /out of memory|allocation failed/i.test(end.output);
  if (outOfMemory)
    return settledAs(
      'crashed',
      `ran out of memory (limit ${Math.round(limits.memoryBytes / 1048576)} MiB) during this test`,
    );
  return settledAs(
    'crashed',
    `the process ended during this test (${describeEnd(end, limits)}); does the code call process.exit or throw from a timer?`,
  );
}

/** How a process ended, in a few words for a reason. */
export function describeEnd(end: CaseProcessEnd, limits: Limits): string {
  if (end.killed?.reason === 'case-timeout') return `timed out after ${limits.caseTimeoutMs / 1000} s`;
  if (end.killed) return `stopped: ${end.killed.detail}`;
  if (end.signal)
    return `killed by ${end.signal}${end.signal === 'SIGABRT' || end.signal === 'SIGSEGV' ? ' (out of memory?)' : ''}`;
  if (end.code === 134) return 'aborted, most likely out of memory';
  return `the process exited with code ${end.code}`;
}

/** An error frame's payload as data the orchestrator can trust the shape of (strings, bounded). */
export function asErrorData(value: unknown): ErrorData {
  const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' ? v.slice(0, 2000) : fallback);
  const notImplemented =
    record.notImplemented !== null && typeof record.notImplemented === 'object'
      ? (record.notImplemented as Record<string, unknown>)
      : undefined;
  return {
    name: text(record.name, 'Error'),
    message: text(record.message, ''),
    ...(notImplemented
      ? {
          notImplemented: {
            exercise: text(notImplemented.exercise, ''),
            component: text(notImplemented.component, ''),
            handout: text(notImplemented.handout, ''),
          },
        }
      : {}),
  };
}

/** Points as reports keep them: six decimals, so sums of shares add up exactly enough. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A check's failure message on one line (reports keep reasons to a line; the lines say expected, received). */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return stripVTControlCharacters(text)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' · ');
}

function bounded(text: string): string {
  return text.length > MAX_REASON_CHARACTERS ? `${text.slice(0, MAX_REASON_CHARACTERS - 1)}…` : text;
}
