/**
 * `npm run stubs`: regenerates exercises/ from solutions/. Run it after every edit of solutions/;
 * the kit's tests fail while exercises/ differs from what this writes.
 */
import { generateExercises, writeExercises } from './generate.js';
import { loadKit } from './kit.js';
import { MarkerError } from './stub/markers.js';

try {
  const kit = await loadKit();
  const { written, removed } = writeExercises(kit, generateExercises(kit));
  for (const file of written) console.log(`wrote   exercises/${file}`);
  for (const file of removed) console.log(`removed exercises/${file}`);
  console.log(
    written.length + removed.length === 0
      ? 'exercises/ is up to date.'
      : `exercises/ regenerated (${written.length} written, ${removed.length} removed).`,
  );
} catch (error) {
  if (!(error instanceof MarkerError)) throw error;
  console.error(`Bad solution marker: ${error.message}`);
  process.exitCode = 1;
}
