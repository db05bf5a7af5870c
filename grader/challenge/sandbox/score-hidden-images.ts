import { readFileSync } from 'node:fs';
import { buildModel } from '#impl/challenge/model.js';
import { fastConvKernels } from '#impl/layers/conv2d-fast.js';
import { withKernels, type KernelSet } from '../../../framework/backend/kernel-registry.js';
import { countParameters, loadChallengeWeights } from '../../../framework/challenge/challenge-model.js';
import { predictScores } from '../../../framework/challenge/predict-scores.js';
import { fashionImagesTensor, parseIdxImages } from '../../../framework/data/fashion-mnist.js';
import { isNotImplementedError } from '../../../framework/errors.js';
import { hiddenChecks, training } from '../../../tests/harness/checks.js';
import { CARRIED_IMAGES, CARRIED_WEIGHTS } from '../carried-files.js';

/**
 * Runs INSIDE the sandbox, bundled with the submission's `challenge/model.ts` and its layers by
 * grader/challenge/grade-challenge.ts, behind the usual runner (grader/sandbox/runner.ts: built-ins
 * frozen, addons and V8 flags refused, one result frame). The bundle carries exactly two files, written
 * next to it before any student module loads: the hidden test images (never their labels) and the
 * submission's weights. The one check builds the student's network, loads the weights and returns the
 * scores of every hidden image, with the parameter count; the orchestrator checks the shape, times it
 * and computes every metric itself.
 *
 * Inference is the same as everywhere in the kit (framework/challenge/predict-scores.ts: `network.predict`
 * on batches of 250 images [b, 1, 28, 28], eval mode), under the student's own im2col kernels for Conv
 * when they wrote them (Exercise 2's extension, as `npm run challenge:evaluate` and the public check do:
 * the same scores, several times faster), else the plain loops. A submission without that file gets an
 * empty stand-in from grade-challenge.ts, so the plain loops.
 */
const WEIGHTS_FILE = 'exercises/challenge/weights.json';

/** `body` under the submission's fast Conv kernels; its own stubs (NotImplementedError from ConvFastPath) fall back to the plain loops. */
function inFastestKernels<T>(body: () => T): T {
  const fast = fastConvKernels as KernelSet | undefined;
  if (!fast) return body();
  try {
    return withKernels(fast, body);
  } catch (error) {
    if (!isNotImplementedError(error) || !error.message.startsWith('ex2 ConvFastPath')) throw error;
    return body();
  }
}

export default hiddenChecks('ex7', 'ChallengeModel', [
  training({
    title: 'scores every hidden test image',
    async run() {
      const images = parseIdxImages(readFileSync(new URL(`./${CARRIED_IMAGES}`, import.meta.url)));
      const network = await buildModel();
      loadChallengeWeights(
        network,
        JSON.parse(readFileSync(new URL(`./${CARRIED_WEIGHTS}`, import.meta.url), 'utf8')),
        WEIGHTS_FILE,
      );
      network.eval();
      const scores = inFastestKernels(() => predictScores(network, fashionImagesTensor(images.pixels, images.count)));
      return { parameters: countParameters(network), scores };
    },
  }),
]);
