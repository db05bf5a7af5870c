import { createHash } from 'node:crypto';
import { nicknameProblem } from '../../framework/challenge/nickname-rule.js';

export { nicknameProblem };

/**
 * The name a student appears under on the leaderboard: submission.json's `nickname` when it keeps the
 * rule (framework/challenge/nickname-rule.ts: 1–24 printable characters), otherwise an anonymous id derived
 * from the course and the student id, `anon-` and 8 hex digits of sha256(course ␀ id). The login itself
 * is never shown: the hash cannot be read back, and it stays the same from one run to the next, so a
 * student can find their row. Every renderer escapes the nickname (it is the student's text).
 */
export function anonymousNickname(course: string, studentId: string): string {
  return `anon-${createHash('sha256').update(`${course}\u0000${studentId}`).digest('hex').slice(0, 8)}`;
}

/** The nickname to show, and a note for the report when the declared one was refused. */
export function leaderboardNickname(
  course: string,
  studentId: string,
  declared: string | undefined,
): { readonly nickname: string; readonly note?: string } {
  const fallback = anonymousNickname(course, studentId);
  if (declared === undefined) return { nickname: fallback };
  const problem = nicknameProblem(declared);
  if (problem === undefined) return { nickname: declared };
  return {
    nickname: fallback,
    note: `submission.json's nickname is not used on the leaderboard: ${problem}; shown as ${fallback}`,
  };
}
