import type { Check, ComponentChecks } from '../../tests/harness/checks.js';
import { checkKey } from '../../tests/harness/seeds.js';

/**
 * Which checks a process runs, in order, and under which key: the one list that the sandboxed runner,
 * the trusted reference run and the orchestrator's plan all derive from the same check files.
 *
 * * public: every check of the public test files, keyed `Component/<id>`, seeded from `ex/Component/<id>`
 *   (what the student's `npm test` uses);
 * * hidden: the public checks marked `hiddenRerun` (`Component/rerun-<id>`) and every check of the hidden
 *   files (`Component/hidden-<id>`), seeded from `hidden:ex/Component/<key>` so that even a run seed equal
 *   to the public one draws other inputs.
 */
export interface PlannedCheck {
  /** Unique in the exercise: `FullyConnected/rerun-forward-and-backward`. */
  readonly key: string;
  /** What the check's Rng is seeded from (with the process's base seed). */
  readonly seedKey: string;
  readonly file: ComponentChecks;
  readonly check: Check;
  /** Id within the component, as reports show it. */
  readonly caseId: string;
  readonly visibility: 'public' | 'hidden';
  /** A public check run again under the hidden seed. */
  readonly rerun: boolean;
}

export function checksToRun(files: readonly ComponentChecks[], visibility: 'public' | 'hidden'): PlannedCheck[] {
  const planned: PlannedCheck[] = [];
  for (const file of files) {
    for (const check of file.checks) {
      const entry = (caseId: string, rerun: boolean): PlannedCheck => {
        const key = `${file.component}/${caseId}`;
        const seedKey =
          visibility === 'public'
            ? checkKey(file.exercise, file.component, check.id)
            : `hidden:${checkKey(file.exercise, file.component, caseId)}`;
        return { key, seedKey, file, check, caseId, visibility, rerun };
      };
      if (visibility === 'public' && file.visibility === 'public') planned.push(entry(check.id, false));
      if (visibility === 'hidden' && file.visibility === 'public' && check.hiddenRerun)
        planned.push(entry(`rerun-${check.id}`, true));
      if (visibility === 'hidden' && file.visibility === 'hidden') planned.push(entry(`hidden-${check.id}`, false));
    }
  }
  return planned;
}
