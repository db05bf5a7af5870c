import type { Limits } from '../grade-submission.js';
import type { PlannedCase } from '../plan.js';
import type { CaseProcessEnd } from '../sandbox/case-process.js';
import type { ErrorData } from '../sandbox/protocol.js';
import type { CaseLedger } from './case-ledger.js';
import { settledAs } from './case-ledger.js';
import type { ComponentBudgets } from './component-budgets.js';
import { asErrorData, fromEnd, fromError, judge } from './verdicts.js';

/**
 * What the orchestrator knows about one running case process, built only from the frames it sent
 * (sandbox/protocol.ts) and trusted for nothing but bookkeeping: which case it announced last
 * (`current`, from 'start'; it stays current after its result until the next 'start'), whether it
 * said it had finished ('done') or failed to load ('load-error'). A result settles a case only when it
 * names the case that is running, and only the first time (the ledger keeps the first outcome).
 */
export class ProcessWatch {
  #current: PlannedCase | undefined;
  #startedAt = 0;
  #finished = false;
  #loadError: ErrorData | undefined;

  constructor(
    /** The group's cases of this process's visibility, by key (`Component/<case id>`). */
    private readonly byKey: ReadonlyMap<string, PlannedCase>,
    /** The handout section of each case's component (for "not implemented yet: read …"). */
    private readonly handoutOf: ReadonlyMap<string, string>,
    private readonly ledger: CaseLedger,
    private readonly budgets: ComponentBudgets,
  ) {}

  /** The case the process announced last, if it named a case of this group. */
  get current(): PlannedCase | undefined {
    return this.#current;
  }

  /** The process said 'done'. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The process could not load the checks or the code under test. */
  get loadError(): ErrorData | undefined {
    return this.#loadError;
  }

  onFrame(frame: unknown): void {
    const f =
      frame !== null && typeof frame === 'object'
        ? (frame as { t?: unknown; id?: unknown; data?: unknown; error?: unknown })
        : {};
    const named = typeof f.id === 'string' ? this.byKey.get(f.id) : undefined;
    switch (f.t) {
      case 'start':
        this.#current = named;
        this.#startedAt = Date.now();
        break;
      case 'result':
        if (named !== undefined && named === this.#current) this.#finishCurrent((planned) => judge(planned, f.data));
        else if (named !== undefined)
          this.ledger.settle(
            named,
            settledAs('error', 'a result arrived for a test that was not running (tampering with the grader channel)'),
          );
        break;
      case 'error':
        if (named !== undefined && named === this.#current)
          this.#finishCurrent((planned) =>
            fromError(planned, asErrorData(f.error), this.handoutOf.get(planned.key) ?? ''),
          );
        break;
      case 'load-error':
        this.#loadError = asErrorData(f.error);
        break;
      case 'done':
        this.#finished = true;
        break;
      default:
        break; // 'hello' from a student process is not trusted for anything
    }
  }

  /** The process ended: the case it was in (if still open) is charged and settled by how it ended. */
  settleInterrupted(end: CaseProcessEnd, limits: Limits): void {
    const current = this.#current;
    if (current !== undefined && !this.ledger.isSettled(current)) {
      this.budgets.charge(current, Date.now() - this.#startedAt);
      this.ledger.settle(current, fromEnd(end, limits));
    }
  }

  #finishCurrent(outcome: (planned: PlannedCase) => ReturnType<typeof judge>): void {
    const planned = this.#current as PlannedCase;
    this.budgets.charge(planned, Date.now() - this.#startedAt);
    this.ledger.settle(planned, outcome(planned));
  }
}
