/**
 * Writes the reference BASELINE of the challenge (scripts/challenge/baseline-implementation.ts) as an
 * implementation folder, to train, evaluate or test it like any other:
 *
 *   npx tsx scripts/challenge/write-baseline.ts                     (writes .challenge-baseline/)
 *   DLKIT_IMPL=.challenge-baseline npm run challenge:train -- --out grader/challenge/baseline/weights.json
 *   DLKIT_IMPL=.challenge-baseline npm run challenge:evaluate
 *   DLKIT_IMPL=.challenge-baseline npx vitest run tests/ex7
 *
 * The folder (ignored by git) must sit directly inside the kit.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeBaselineImplementation } from './baseline-implementation.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: '.challenge-baseline' } } });
const root = fileURLToPath(new URL('../../', import.meta.url));
const out = path.resolve(root, values.out as string);
try {
  const { weights } = await writeBaselineImplementation(root, out);
  console.log(
    `wrote ${path.relative(root, out)}/: solutions/ with the baseline challenge/model.ts and ${weights ? 'its weights' : 'the placeholder weights (train them)'}`,
  );
} catch (error) {
  console.error(`write-baseline: ${(error as Error).message}`);
  process.exit(2);
}
