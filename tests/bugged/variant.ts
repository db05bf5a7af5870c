/**
 * A bugged variant: the reference solution with one realistic student mistake, written as exact text
 * replacements in one file under solutions/. The kit's tests use them to prove that a component's
 * checks catch the mistake and that the scoreboard and the grader score it the same
 * (tests/grader/scoreboard-equals-grade.test.ts). A replacement whose `from` text no longer occurs in
 * the solution is an error that names the variant, so the variants follow the solutions as they change.
 */
export interface BuggedVariant {
  /** Kebab-case, unique across the course: `fully-connected-grad-divided-by-batch`. */
  readonly id: string;
  readonly exercise: string;
  readonly component: string;
  /** The file under solutions/ that carries the mistake. */
  readonly file: string;
  /** The mistake in a student's words: what they did wrong. */
  readonly bug: string;
  /** Exact replacements applied in order, each `from` must occur exactly once. */
  readonly replace: ReadonlyArray<readonly [from: string, to: string]>;
  /**
   * The mistake makes the result depend on how the GPU schedules its invocations (a missing barrier,
   * two invocations writing one element): a check may pass in one run and fail in the next. Such a
   * variant is still caught by its component's checks, but the scoreboard-equals-grade test leaves it
   * out, since its two runs may see different races.
   */
  readonly racy?: true;
}

export class VariantError extends Error {
  override name = 'VariantError';
}

/** The source of `variant.file` with the mistake applied. */
export function applyVariant(variant: BuggedVariant, source: string): string {
  let text = source;
  for (const [from, to] of variant.replace) {
    const first = text.indexOf(from);
    if (first < 0) throw new VariantError(`bugged variant '${variant.id}': the text to replace is not in solutions/${variant.file}: ${JSON.stringify(from.slice(0, 80))}`);
    if (text.indexOf(from, first + 1) >= 0) throw new VariantError(`bugged variant '${variant.id}': the text to replace occurs more than once in solutions/${variant.file}; quote more of it`);
    text = text.slice(0, first) + to + text.slice(first + from.length);
  }
  if (text === source) throw new VariantError(`bugged variant '${variant.id}' changes nothing`);
  return text;
}
