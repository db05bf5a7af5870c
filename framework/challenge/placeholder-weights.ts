/**
 * The weights file a fresh handout ships at exercises/challenge/weights.json: not weights, a note.
 * The stub tool writes it in place of the reference's trained weights (which never leave the kit), so
 * the public check can import the file before the student has trained anything, and every loader
 * (the public check, `npm run challenge:evaluate`, the grader) turns it into one clear message.
 */
export const PLACEHOLDER_FORMAT = 'dlkit-challenge-placeholder';

/** What the placeholder says, and what loading it throws. */
export const PLACEHOLDER_MESSAGE =
  'challenge/weights.json holds no trained weights yet: run `npm run challenge:train` to train your model and write them (in the kit itself: DLKIT_IMPL=exercises npm run challenge:train), then `npm run challenge:evaluate`';

/** The placeholder file's text (JSON, ending in a newline). */
export function placeholderWeightsText(): string {
  return `${JSON.stringify({ format: PLACEHOLDER_FORMAT, message: PLACEHOLDER_MESSAGE }, null, 2)}\n`;
}

/** True for the placeholder (parsed JSON), whatever its message says. */
export function isPlaceholderWeights(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { format?: unknown }).format === PLACEHOLDER_FORMAT;
}
