import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { course } from '../../course/course.js';
import {
  isNotImplementedError,
  Rng,
  withKernels,
  type KernelSet,
  type Network,
  type Parameter,
  type Tensor,
} from '../../framework/index.js';
import type { ChallengeSpec } from '../../course/course.js';

/**
 * The implementation the challenge scripts work on, chosen as the tests choose it (vitest.config.ts):
 * DLKIT_IMPL=exercises (the student's files), a folder path (a variant), or by default solutions/
 * (the kit's reference; in a student's handout, which has no solutions/, exercises/). Its
 * challenge/model.ts is imported at run time.
 */
const kit = fileURLToPath(new URL('../../', import.meta.url));

/** The network a challenge model file builds: the kit's Network plus `parameters()`. */
export type ChallengeNeuralNetwork = Network & { parameters(): Parameter[] };

export interface ChallengeImplementation {
  /** Absolute folder (ends without a slash). */
  readonly folder: string;
  /** How to name it to a person: 'solutions', 'exercises' or the path given. */
  readonly label: string;
  readonly buildModel: (seed?: number) => ChallengeNeuralNetwork;
  /** The model file's own epoch count, if it exports `trainingEpochs()`. */
  readonly trainingEpochs?: () => number;
  /** Absolute path of challenge/weights.json. */
  readonly weightsFile: string;
}

/** The manifest's challenge entry (course/course.ts, exercise ex7). */
export function challengeSpec(): ChallengeSpec {
  const spec = course.exercises.find((exercise) => exercise.challenge)?.challenge;
  if (!spec) throw new Error('course/course.ts has no exercise with a `challenge` entry');
  return spec;
}

export async function loadImplementation(): Promise<ChallengeImplementation> {
  // A student's handout has no solutions/: there the default is their own exercises/.
  const requested = process.env.DLKIT_IMPL ?? (existsSync(path.join(kit, 'solutions')) ? 'solutions' : 'exercises');
  const folder =
    requested === 'exercises' || requested === 'solutions' ? path.join(kit, requested) : path.resolve(requested);
  const spec = challengeSpec();
  const modelFile = path.join(folder, spec.modelFile);
  if (!existsSync(modelFile)) {
    throw new Error(
      `${path.relative(kit, modelFile) || modelFile} does not exist: DLKIT_IMPL=${requested} must name an implementation folder with ${spec.modelFile}`,
    );
  }
  const module = (await import(pathToFileURL(modelFile).href)) as { buildModel?: unknown; trainingEpochs?: unknown };
  if (typeof module.buildModel !== 'function')
    throw new Error(`${spec.modelFile} in ${requested} must export \`buildModel(): NeuralNetwork\``);
  return {
    folder,
    label: requested,
    buildModel: module.buildModel as ChallengeImplementation['buildModel'],
    ...(typeof module.trainingEpochs === 'function' ? { trainingEpochs: module.trainingEpochs as () => number } : {}),
    weightsFile: path.join(folder, spec.weightsFile),
  };
}

/** Reads and parses a weights file, with messages for a missing file and for text that is not JSON. */
export function readWeightsFile(file: string): { json: unknown; bytes: number } {
  if (!existsSync(file)) {
    throw new Error(
      `${path.relative(kit, file)} is missing: run \`npm run challenge:train\` first (it writes the weights of challenge/model.ts there)`,
    );
  }
  const text = readFileSync(file, 'utf8');
  try {
    return { json: JSON.parse(text), bytes: statSync(file).size };
  } catch (error) {
    throw new Error(
      `${path.relative(kit, file)} is not JSON (${(error as Error).message}): write it with \`npm run challenge:train\`, never by hand`,
    );
  }
}

/**
 * The implementation's im2col kernels for Conv (Exercise 2's extension), if the student wrote them:
 * a tiny convolution forward and backward is tried under them first, and a NotImplementedError or a
 * missing file means training uses the plain loops instead (slower, same result).
 */
export async function fastConvKernelsOf(implementation: ChallengeImplementation): Promise<KernelSet | undefined> {
  const fastFile = path.join(implementation.folder, 'layers/conv2d-fast.ts');
  const convFile = path.join(implementation.folder, 'layers/conv.ts');
  if (!existsSync(fastFile) || !existsSync(convFile)) return undefined;
  const fast = (await import(pathToFileURL(fastFile).href)) as { fastConvKernels?: KernelSet };
  if (!fast.fastConvKernels) return undefined;
  const { Conv } = (await import(pathToFileURL(convFile).href)) as {
    Conv: new (options: object) => { forward(x: Tensor): Tensor; backward(g: Tensor): Tensor };
  };
  const rng = new Rng(1);
  try {
    withKernels(fast.fastConvKernels, () => {
      const conv = new Conv({ inChannels: 2, outChannels: 3, kernelSize: [3, 3], rng });
      const y = conv.forward(rng.normalTensor([2, 2, 5, 5]));
      conv.backward(y);
    });
    return fast.fastConvKernels;
  } catch (error) {
    if (isNotImplementedError(error)) return undefined;
    throw error;
  }
}
