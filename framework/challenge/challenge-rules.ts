/**
 * The challenge's (Exercise 7) caps and measured accuracies, written once: course/course.ts builds its
 * `challenge` entry (with the points, which live only there) from them, and the public checks
 * (tests/ex7), which may not import the manifest, read them here. docs/exercises/7-challenge.md
 * explains them.
 */
export const CHALLENGE_CAPS = Object.freeze({
  /** Size of challenge/weights.json in bytes: JSON costs about 20 bytes a parameter, so the parameter cap fits. */
  weightsBytes: 4 * 1024 * 1024,
  /** Trainable parameters (Σ of the sizes of `network.parameters()`). */
  parameters: 150_000,
  /** Wall-clock seconds for the grader's sandbox to build the model, load the weights and score the hidden images. */
  inferenceSeconds: 60,
});

/**
 * Accuracies the thresholds stand on: each a measured validation accuracy rounded down to a whole
 * percent, less one point, because the hidden test set scores lower than the validation set (the
 * baseline: 85.95% validation, 84.3% hidden) and a model that matches the baseline must earn the
 * baseline's points (docs/exercises/7-challenge.md, "How it is scored"; `npm run challenge:evaluate`):
 *   baseline: the baseline model (exercises/challenge/model.ts) on the reference layers, 3 epochs: 85.95% → 0.84
 *   strong:   the reference model (solutions/challenge/model.ts), 6 epochs: 87.30% → 0.86
 * (both `npm run challenge:train` with the default seed 7, 2026-12-03).
 */
export const CHALLENGE_ACCURACY = Object.freeze({
  baseline: 0.84,
  strong: 0.86,
});
