import type { Rng } from '../../framework/random/rng.js';
import { registerWithVitest } from './register.js';

/**
 * A component's checks, written once. One test file per component exports them (`export default
 * componentChecks(…)`), and three things run them the same way (DESIGN §5):
 *
 * * the student's `npm test` (vitest): each check becomes a test; the scoreboard sums their weights;
 * * the grader's public score: `run` in the sandbox against the student's code, `verify` in the
 *   orchestrator on the data that came back, with the same seed, so the points are the same;
 * * the grader's hidden score: checks marked `hiddenRerun` run again under a secret seed, and their data
 *   is also compared with the reference solution's on that seed; plus hidden-only checks
 *   (grader/hidden/<exercise>/, `hiddenChecks(…)`) in the same form.
 *
 * `run(rng)` calls the student's code and returns plain data (numbers, strings, booleans, arrays, plain
 * objects; tensors through `tensorData`). `verify(data)` is pure: it looks only at that data and throws
 * (vitest's `expect`, or `fail`) when the check fails. It must not call the student's code, build
 * tensors from it or read files: in the grader it runs in another process than `run`.
 */
export type CheckKind = 'property' | 'gradient' | 'known-value' | 'training' | 'bad-input';

/** The group each kind is shown under (`ex1 FullyConnected > gradients > …`). */
export const KIND_GROUPS: Readonly<Record<CheckKind, string>> = {
  property: 'properties',
  gradient: 'gradients',
  'known-value': 'known values',
  'bad-input': 'bad input',
  training: 'training',
};

export interface CheckSpec<Data> {
  /** What is checked, one line, unique within the component. A hidden check shows only this. */
  readonly title: string;
  /** Share of the component's points relative to its other checks (default 1). */
  readonly weight?: number;
  /** Calls the student's code; returns plain data. Public checks get a fixed seed; hidden reruns a secret one. */
  run(rng: Rng): Data | Promise<Data>;
  /** Pure: throws when the data shows a mistake. Required in public files. */
  verify?(data: Data): void;
  /**
   * Hidden grading runs this check again under a secret seed. Only for checks whose shapes and values
   * come from `rng`; a check with fixed inputs would only repeat itself.
   */
  readonly hiddenRerun?: boolean;
  /**
   * How hidden grading compares the data with the reference solution's run on the same seed: a
   * tolerance (|a − b| ≤ tol·(1 + |b|), default 1e-6), 'exact', or false where correct implementations
   * legitimately differ (random draws, training curves): then only `verify` decides.
   */
  readonly matchReference?: number | 'exact' | false;
}

export interface Check<Data = unknown> extends CheckSpec<Data> {
  readonly kind: CheckKind;
  /** Kebab-case from the title, unique within the component; reports and gradebooks name it. */
  readonly id: string;
}

export type Visibility = 'public' | 'hidden';

export interface ComponentChecks {
  readonly exercise: string;
  readonly component: string;
  readonly visibility: Visibility;
  /** The checks run WebGPU kernels: they need an adapter (skipped with the reason in a student's run without one). */
  readonly webgpu: boolean;
  /**
   * The checks depend on what the component's own files do when they are imported (e.g. an index file
   * that registers kernels by importing them): the grader runs them in a process of their own, and
   * vitest runs the file with fresh modules (tests/setup/test-projects.ts), so another component's
   * imports cannot stand in.
   */
  readonly isolate: boolean;
  readonly checks: readonly Check[];
}

export interface ComponentOptions {
  readonly webgpu?: boolean;
  readonly isolate?: boolean;
}

/** A check that does not care about `Data`'s type (what lists of checks hold). */
// biome-ignore lint/suspicious/noExplicitAny: a list holds checks of many data types; `unknown` would reject their verify functions (parameters are contravariant)
type AnyCheck = Check<any>;

const kindOf =
  (kind: CheckKind) =>
  <Data>(spec: CheckSpec<Data>): AnyCheck => ({ ...spec, kind, id: slug(spec.title) });

/** A law that holds for every input (fast-check draws the inputs in `run`, `verify` tests the law on each). */
export const property = kindOf('property');
/** Backward against centred differences, on the input and every parameter. */
export const gradient = kindOf('gradient');
/** Small hand-checkable numbers; cite the seed file and line in the title or a comment. */
export const knownValue = kindOf('known-value');
/** Seeded, short training that must reach a threshold computed in `verify` from raw outputs. */
export const training = kindOf('training');
/** Wrong shapes, NaN, calls in the wrong order: the error's name and message. */
export const badInput = kindOf('bad-input');

/** The public checks of one component: the file's default export, and (under vitest) its tests. */
export function componentChecks(
  exercise: string,
  component: string,
  checks: readonly AnyCheck[],
  options: ComponentOptions = {},
): ComponentChecks {
  const file = validated({
    exercise,
    component,
    visibility: 'public',
    webgpu: options.webgpu ?? false,
    isolate: options.isolate ?? false,
    checks,
  });
  registerWithVitest(file);
  return file;
}

/** Hidden-only checks (grader/hidden/<exercise>/): never handed out; reports show only title and result. */
export function hiddenChecks(
  exercise: string,
  component: string,
  checks: readonly AnyCheck[],
  options: ComponentOptions = {},
): ComponentChecks {
  return validated({
    exercise,
    component,
    visibility: 'hidden',
    webgpu: options.webgpu ?? false,
    isolate: options.isolate ?? false,
    checks,
  });
}

export class CheckDefinitionError extends Error {
  override name = 'CheckDefinitionError';
}

function validated(file: ComponentChecks): ComponentChecks {
  const where = `${file.exercise} ${file.component}`;
  if (file.checks.length === 0) throw new CheckDefinitionError(`${where} has no checks`);
  const ids = new Set<string>();
  for (const check of file.checks) {
    if (!check.id) throw new CheckDefinitionError(`${where}: a check has an empty title`);
    if (ids.has(check.id))
      throw new CheckDefinitionError(
        `${where}: two checks share the title '${check.title}' (id '${check.id}'); titles must differ`,
      );
    ids.add(check.id);
    if (check.weight !== undefined && !(check.weight > 0))
      throw new CheckDefinitionError(`${where}: '${check.title}' has weight ${check.weight}; weights are positive`);
    if (file.visibility === 'public' && typeof check.verify !== 'function') {
      throw new CheckDefinitionError(
        `${where}: '${check.title}' has no verify; a public check must decide on its own (the student has no reference)`,
      );
    }
    if (file.visibility === 'hidden' && typeof check.verify !== 'function' && check.matchReference === false) {
      throw new CheckDefinitionError(
        `${where}: hidden check '${check.title}' has neither verify nor a reference comparison`,
      );
    }
  }
  return file;
}

/** `forward: y = x·W + b (seed 000: 460)` → `forward-y-x-w-b-seed-000-460`. */
export function slug(title: string): string {
  return title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}
