import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { placeholderWeightsText } from '../../framework/index.js';
import { loadKit } from '../../tools/kit.js';
import { stubSource } from '../../tools/stub/pipeline.js';
import { challengeSpec } from './implementation.js';

/** Where the committed weights of the reference baseline live (trained by `npm run challenge:train` on this folder). */
export const BASELINE_WEIGHTS = 'grader/challenge/baseline/weights.json';

/**
 * Writes the reference BASELINE of the challenge as an implementation folder `out` (directly inside the
 * kit `root`: solution files import ../../framework): a copy of solutions/ (the reference layers) whose
 * challenge/model.ts is the student's starting model, the stub the stub tool generates from
 * solutions/challenge/model.ts (its PROMPT), and whose challenge/weights.json is the committed baseline
 * weights when they exist, else the placeholder. Returns whether the weights were there.
 */
export async function writeBaselineImplementation(root: string, out: string): Promise<{ weights: boolean }> {
  return writeFolder(root, out);
}

/** The baseline's model file: the stub text the stub tool generates from solutions/challenge/model.ts. */
export async function baselineModelSource(root: string): Promise<string> {
  const spec = challengeSpec();
  return stubSource(
    await loadKit(root),
    spec.modelFile,
    readFileSync(path.join(root, 'solutions', spec.modelFile), 'utf8'),
  );
}

/**
 * The baseline's model file alone, at `<out>/challenge/model.ts` (`out` directly inside the kit), its
 * imports of the implementation's files pointed at solutions/: the baseline on the very modules the
 * reference uses, so both can run in one process (a second copy of solutions/ would register every
 * kernel twice). Returns the file's path.
 */
export async function writeBaselineModelOnReference(root: string, out: string): Promise<string> {
  if (path.dirname(path.resolve(out)) !== path.resolve(root))
    throw new Error(`${out} must be a folder directly inside the kit (${root})`);
  const file = path.join(out, challengeSpec().modelFile);
  mkdirSync(path.dirname(file), { recursive: true });
  // '../layers/conv.js' → '../../solutions/layers/conv.js'; '../../framework/…' stays.
  writeFileSync(file, (await baselineModelSource(root)).replace(/from '\.\.\/(?!\.\.\/)/g, "from '../../solutions/"));
  return file;
}

async function writeFolder(root: string, out: string): Promise<{ weights: boolean }> {
  if (path.dirname(path.resolve(out)) !== path.resolve(root))
    throw new Error(`${out} must be a folder directly inside the kit (${root}): solution files import ../../framework`);
  const spec = challengeSpec();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(path.join(root, 'solutions'), out, { recursive: true });
  writeFileSync(path.join(out, spec.modelFile), await baselineModelSource(root));
  const weights = path.join(root, BASELINE_WEIGHTS);
  writeFileSync(
    path.join(out, spec.weightsFile),
    existsSync(weights) ? readFileSync(weights) : placeholderWeightsText(),
  );
  return { weights: existsSync(weights) };
}
