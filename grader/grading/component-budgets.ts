import type { PlannedCase, PlannedComponent } from '../plan.js';
import type { CaseLedger } from './case-ledger.js';
import { settledAs } from './case-ledger.js';
import { casesOf, type Visibility } from './submission-run.js';

/**
 * Each component's own time budget (`fileTimeoutMs`, its "test file" in `npm test`), spent by its
 * checks in whatever process runs them: a component that loops forever loses its own remaining checks,
 * not those of the components that share its process.
 */
export class ComponentBudgets {
  readonly #spent = new Map<PlannedComponent, number>();
  readonly #memberOf: ReadonlyMap<PlannedCase, PlannedComponent>;

  constructor(
    private readonly members: readonly PlannedComponent[],
    private readonly visibility: Visibility,
    private readonly budgetMs: number,
  ) {
    this.#memberOf = new Map(
      members.flatMap((member) => casesOf(member, visibility).map((planned) => [planned, member] as const)),
    );
  }

  /** Adds the time one case took to its component's account. */
  charge(planned: PlannedCase, ms: number): void {
    const member = this.#memberOf.get(planned);
    if (member) this.#spent.set(member, (this.#spent.get(member) ?? 0) + ms);
  }

  /** Settles the open cases of every component that has spent its budget. */
  settleSpent(ledger: CaseLedger): void {
    const reason = `not run: this component's tests used up their time limit (${this.budgetMs / 1000} s)`;
    for (const member of this.members) {
      if ((this.#spent.get(member) ?? 0) >= this.budgetMs)
        ledger.settleAll(casesOf(member, this.visibility), settledAs('not-run', reason));
    }
  }
}
