import type { ChallengeSpec } from '../../course/course.js';

/**
 * The challenge's points for a hidden-test accuracy a, from the manifest's thresholds
 * (t₀ < t₁ < … with points p₀ ≤ p₁ ≤ …, course/course.ts `ChallengeSpec`):
 *
 *   a < t₀:             0
 *   tᵢ ≤ a < tᵢ₊₁:      pᵢ + (a − tᵢ)/(tᵢ₊₁ − tᵢ) · (pᵢ₊₁ − pᵢ)   (linear between two thresholds)
 *   a ≥ t_last:         p_last                                   (the most there is)
 *
 * So the baseline's accuracy earns the baseline threshold's points exactly, and every gain above it
 * counts. Points are rounded to 1e-6, as case points are.
 */
export function challengePoints(accuracy: number, thresholds: ChallengeSpec['thresholds']): number {
  checkThresholds(thresholds);
  if (!Number.isFinite(accuracy) || accuracy < 0 || accuracy > 1)
    throw new RangeError(`challengePoints: accuracy must be in [0, 1], got ${accuracy}`);
  if (accuracy < thresholds[0].accuracy) return 0;
  for (let i = 0; i + 1 < thresholds.length; i++) {
    const [low, high] = [thresholds[i], thresholds[i + 1]];
    if (accuracy < high.accuracy)
      return round(
        low.points + ((accuracy - low.accuracy) / (high.accuracy - low.accuracy)) * (high.points - low.points),
      );
  }
  return round(thresholds[thresholds.length - 1].points);
}

/** The most points the challenge gives: the last threshold's. */
export function challengePossible(thresholds: ChallengeSpec['thresholds']): number {
  checkThresholds(thresholds);
  return thresholds[thresholds.length - 1].points;
}

/** Thresholds must be non-empty, accuracies strictly ascending in (0, 1], points non-negative and non-decreasing. */
export function checkThresholds(thresholds: ChallengeSpec['thresholds']): void {
  if (thresholds.length === 0) throw new RangeError('challenge thresholds: at least one is needed');
  thresholds.forEach((t, i) => {
    if (!(t.accuracy > 0 && t.accuracy <= 1) || !(t.points >= 0))
      throw new RangeError(
        `challenge threshold ${i} ('${t.label}'): accuracy must be in (0, 1] and points ≥ 0, got ${t.accuracy} and ${t.points}`,
      );
    const before = thresholds[i - 1];
    if (before && (t.accuracy <= before.accuracy || t.points < before.points)) {
      throw new RangeError(
        `challenge threshold ${i} ('${t.label}'): accuracies must ascend strictly and points must not fall (previous: ${before.accuracy} → ${before.points})`,
      );
    }
  });
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
