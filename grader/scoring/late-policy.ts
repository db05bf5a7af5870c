import type { LatePolicySpec } from '../../course/course.js';

/**
 * The late-policy hook: given when a submission came in and when the exercise was due, the fraction of
 * the exercise's points to deduct (0 = none, 1 = everything). A course with another rule replaces
 * `latePenalty` (or sets `latePolicy` in course/course.ts for the per-day rule below).
 */
export interface Lateness {
  /** Whole days late, rounded up after the grace period; 0 when on time. */
  readonly daysLate: number;
  /** Fraction of the exercise's points deducted. */
  readonly penalty: number;
}

export const ON_TIME: Lateness = { daysLate: 0, penalty: 0 };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Per started day late (after `graceMinutes`), `percentPerDay` percent off, at most `maxPercent`. */
export function latePenalty(
  submittedAt: Date | undefined,
  due: string | undefined,
  policy: LatePolicySpec | undefined,
): Lateness {
  if (!submittedAt || !due || !policy) return ON_TIME;
  const dueTime = Date.parse(due);
  if (Number.isNaN(dueTime) || Number.isNaN(submittedAt.getTime())) return ON_TIME;
  const late = submittedAt.getTime() - dueTime - policy.graceMinutes * MINUTE;
  if (late <= 0) return ON_TIME;
  const daysLate = Math.ceil(late / DAY);
  return { daysLate, penalty: Math.min(policy.maxPercent, daysLate * policy.percentPerDay) / 100 };
}
