import type { PlannedCase } from '../plan.js';
import type { CaseReport, CaseStatus } from '../report/report-types.js';

/** How a case ended: everything of its report but what the plan already knows (id, title, points). */
export type Settled = Omit<CaseReport, 'id' | 'title' | 'visibility' | 'possible'>;

/** A case that earns nothing, with the reason the report shows. */
export function settledAs(status: Exclude<CaseStatus, 'passed'>, reason: string): Settled {
  return { earned: 0, status, reason };
}

/**
 * The one record of how each planned case of a submission ended. A case is settled once: the first
 * outcome stands (a process that sends two results for one check, or a crash after a result, changes
 * nothing). Every case starts as "not run"; whatever is still open at the end is reported so.
 */
export class CaseLedger {
  readonly #settled = new Map<PlannedCase, Settled>();

  /** Records `outcome` for `planned` unless it is already settled. */
  settle(planned: PlannedCase, outcome: Settled): void {
    if (!this.#settled.has(planned)) this.#settled.set(planned, outcome);
  }

  /** Settles every case of `cases` that is still open the same way. */
  settleAll(cases: readonly PlannedCase[], outcome: Settled): void {
    for (const planned of cases) this.settle(planned, outcome);
  }

  isSettled(planned: PlannedCase): boolean {
    return this.#settled.has(planned);
  }

  /** The cases of `cases` that are not settled yet, in order. */
  open(cases: readonly PlannedCase[]): PlannedCase[] {
    return cases.filter((planned) => !this.#settled.has(planned));
  }

  /** How `planned` ended: "not run" when nothing settled it. */
  outcomeOf(planned: PlannedCase): Settled {
    return this.#settled.get(planned) ?? settledAs('not-run', 'not run');
  }
}
