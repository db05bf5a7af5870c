/**
 * What a leaderboard nickname may be (submission.json's `nickname`, docs/submission-format.md): 1–24
 * printable characters of any script (letters, marks, digits, punctuation, symbols, spaces), no control,
 * format or line-breaking characters, no leading or trailing space. `npm run pack-submission --
 * --nickname` refuses others before it writes anything; the grader shows an anonymous id instead
 * (grader/challenge/nickname.ts). Renderers escape it either way: it is the student's text.
 */
export const NICKNAME_MAX_CHARACTERS = 24;

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

/** Why `nickname` cannot be shown on the leaderboard, or undefined when it can. */
export function nicknameProblem(nickname: string): string | undefined {
  const characters = [...nickname].length;
  if (characters < 1 || characters > NICKNAME_MAX_CHARACTERS)
    return `it has ${characters} characters (1–${NICKNAME_MAX_CHARACTERS} allowed)`;
  if (!printable.test(nickname))
    return 'it holds a character that is not printable (a control, format or line-breaking character)';
  if (nickname !== nickname.trim()) return 'it starts or ends with a space';
  return undefined;
}
