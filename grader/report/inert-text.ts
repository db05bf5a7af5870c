/**
 * Text that came from a submission (its name, its files' names, its error messages, what it printed)
 * made inert before it reaches a report, a log or the instructor's terminal: control characters (ESC
 * could clear the terminal and print a forged "graded alice: 150 / 150"; CR overwrites a line; BEL, NUL)
 * and the Unicode controls that reorder or break lines are shown as visible escapes (`\x1b`, `\u202e`),
 * and the length is bounded (one forged result once made every report file of a student 2.2 MB).
 */

/** Case reasons and notes: a sentence or two, plus the student's error message. */
export const MAX_REASON_CHARACTERS = 1000;
/** File names, paths inside a result, student ids. */
export const MAX_NAME_CHARACTERS = 300;
/** What a console line may show of a name. */
export const MAX_CONSOLE_NAME_CHARACTERS = 60;

// C0 and C1 controls, DEL, the bidirectional overrides and isolates, line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;
const unsafeKeepingLines =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this pattern finds
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/g;

function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** At most `max` characters, with an ellipsis and the original length when cut. */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`;
}

/** One line of inert text: every control character escaped (newlines and tabs too), bounded. */
export function inertText(text: string, max: number = MAX_REASON_CHARACTERS): string {
  return bounded(text, max).replace(unsafe, escapeCharacter);
}

/** Inert text that keeps its newlines and tabs (sandbox.log: what a process printed, for the instructor). */
export function inertLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(unsafeKeepingLines, escapeCharacter);
}

/** A name for a console line: inert and short. */
export function consoleName(text: string, max: number = MAX_CONSOLE_NAME_CHARACTERS): string {
  const inert = text.replace(unsafe, escapeCharacter);
  return inert.length > max ? `${inert.slice(0, max - 1)}…` : inert;
}
