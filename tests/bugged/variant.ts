/**
 * A bugged variant: the reference solution with one realistic student mistake, written as exact text
 * replacements in one file under solutions/. The kit's tests use them to prove that a component's
 * checks catch the mistake and that the scoreboard and the grader score it the same
 * (tests/grader/scoreboard-equals-grade.test.ts). A replacement whose `from` text no longer occurs in
 * the solution is an error that names the variant, so the variants follow the solutions as they change.
 * A `from` is found in its layout-free form (whitespace and trailing commas ignored, see `layoutFree`),
 * so the formatter (`npm run format`) may wrap a solution's lines without breaking its variants.
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
  /** Replacements applied in order; each `from` must occur exactly once, whatever the line breaks (see applyVariant). */
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

/**
 * `text` without its layout: whitespace and the trailing commas a formatter adds before `)`, `]` and
 * `}` left out, with the position in `text` of each character kept.
 */
function layoutFree(text: string): { chars: string; at: number[] } {
  let chars = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (/\s/.test(character)) continue;
    if (character === ',' && /^\s*[)\]}]/.test(text.slice(i + 1, i + 200))) continue;
    chars += character;
    at.push(i);
  }
  return { chars, at };
}

/** Where `from` stands in `text` ([start, end)), comparing the two without their layout; every occurrence. */
function occurrencesOf(from: string, text: string): Array<[number, number]> {
  const haystack = layoutFree(text);
  const needle = layoutFree(from).chars;
  const found: Array<[number, number]> = [];
  if (needle === '') return found;
  for (let i = haystack.chars.indexOf(needle); i >= 0; i = haystack.chars.indexOf(needle, i + 1)) {
    found.push([haystack.at[i], haystack.at[i + needle.length - 1] + 1]);
  }
  return found;
}

/** The source of `variant.file` with the mistake applied. */
export function applyVariant(variant: BuggedVariant, source: string): string {
  let text = source;
  for (const [from, to] of variant.replace) {
    const found = occurrencesOf(from, text);
    if (found.length === 0)
      throw new VariantError(
        `bugged variant '${variant.id}': the text to replace is not in solutions/${variant.file}: ${JSON.stringify(from.slice(0, 80))}`,
      );
    if (found.length > 1)
      throw new VariantError(
        `bugged variant '${variant.id}': the text to replace occurs more than once in solutions/${variant.file}; quote more of it`,
      );
    const [start, end] = found[0];
    text = text.slice(0, start) + to.trim() + text.slice(end);
  }
  if (text === source) throw new VariantError(`bugged variant '${variant.id}' changes nothing`);
  return text;
}
