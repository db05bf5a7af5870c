import { buildModel } from '#impl/challenge/model.js';
import { fastConvKernels } from '#impl/layers/conv2d-fast.js';
import weights from '#impl/challenge/weights.json';
import { CHALLENGE_ACCURACY, CHALLENGE_CAPS } from '../../framework/challenge/challenge-rules.js';
import { withKernels } from '../../framework/backend/kernel-registry.js';
import {
  countParameters,
  isNotImplementedError,
  loadChallengeWeights,
  loadFashionMnist,
  predictScores,
  Tensor,
  zeros,
} from '../../framework/index.js';
import { componentChecks, fail, knownValue, property, training } from '../harness/index.js';

/**
 * Exercise 7, the challenge: the public checks of what you submit, your challenge/model.ts and the
 * challenge/weights.json that `npm run challenge:train` wrote for it. The grader scores the same files
 * on the hidden test set (docs/exercises/7-challenge.md#what-you-submit); these checks catch, before you
 * submit, what would cost you the challenge there: a model that breaks a cap, weights that do not load,
 * scores that depend on the batch, and an accuracy below the baseline's on the validation set.
 *
 * Every check first builds your model and scores one probe batch, so on the stubs each reads "not
 * implemented yet" (the baseline model uses your layers), and then loads the weights: the placeholder
 * of a fresh handout gives "run `npm run challenge:train`".
 */
const WEIGHTS_FILE = 'exercises/challenge/weights.json';

/** The validation accuracy the submission must reach: the 'baseline' threshold less this margin (the hidden test set differs by about that much from the validation set). */
const ACCURACY_MARGIN = 0.02;

/**
 * The validation images the accuracy check scores: the first 500 (the validation file's order mixes the
 * classes, about 50 each). Enough to tell a trained model (the baseline scores about 0.86) from a
 * broken one against the 0.82 bar, and few enough that a model near the parameter cap scores them
 * within the grader's time for one check; `npm run challenge:evaluate` scores all 2,000.
 */
const ACCURACY_IMAGES = 500;

/** The images of the no-leakage check: few, so the image-by-image pass stays short. */
const LEAKAGE_IMAGES = 12;

/** Conv's im2col kernels when the implementation has them (Exercise 2's extension), else the plain loops: same scores, faster. */
function inFastestKernels<T>(body: () => T): T {
  try {
    return withKernels(fastConvKernels, body);
  } catch (error) {
    // Only the fast path's own stubs fall back; any other NotImplementedError is the answer.
    if (!isNotImplementedError(error) || !error.message.startsWith('ex2 ConvFastPath')) throw error;
    return body();
  }
}

/** Your model with your weights, in eval mode, after one probe batch of two blank images (which must give [2, 10]). */
function submittedModel() {
  const network = buildModel();
  const probe = inFastestKernels(() => network.predict(zeros([2, 1, 28, 28])));
  if (probe.shape.length !== 2 || probe.shape[0] !== 2 || probe.shape[1] !== 10) {
    fail(
      `challenge/model.ts: predict on a batch [2, 1, 28, 28] returned [${probe.shape.join(', ')}], expected [2, 10]: the last layer must give one score per class`,
    );
  }
  loadChallengeWeights(network, weights, WEIGHTS_FILE);
  network.eval();
  return network;
}

export default componentChecks('ex7', 'ChallengeModel', [
  knownValue({
    title: `the model keeps the caps (at most ${CHALLENGE_CAPS.parameters} parameters, a weights file of at most ${CHALLENGE_CAPS.weightsBytes / 1024 / 1024} MB) and its weights round-trip through fromJSON and toJSON`,
    run: () => {
      const network = submittedModel();
      const text = JSON.stringify(weights);
      return {
        parameters: countParameters(network),
        bytes: Buffer.byteLength(text),
        roundTrip: JSON.stringify(network.toJSON()) === text,
      };
    },
    verify: ({ parameters, bytes, roundTrip }) => {
      if (parameters > CHALLENGE_CAPS.parameters)
        fail(
          `challenge/model.ts builds ${parameters} parameters; the cap is ${CHALLENGE_CAPS.parameters}: use fewer channels or a smaller dense layer (GlobalAvgPool instead of Flatten keeps the head small)`,
        );
      if (bytes > CHALLENGE_CAPS.weightsBytes)
        fail(
          `${WEIGHTS_FILE} is ${bytes} bytes; the cap is ${CHALLENGE_CAPS.weightsBytes}: a model within the parameter cap fits, so retrain it with \`npm run challenge:train\``,
        );
      if (!roundTrip)
        fail(
          `${WEIGHTS_FILE}: loading it with fromJSON and saving with toJSON gives different JSON: the file must be exactly what \`npm run challenge:train\` wrote (network.toJSON()), for the model as it is now`,
        );
    },
  }),
  property({
    title:
      'eval-mode scores are finite and do not depend on the batch: a batch of validation images scores as each image alone',
    run: () => {
      const network = submittedModel();
      const images = loadFashionMnist('validation', { limit: LEAKAGE_IMAGES }).x;
      const together = inFastestKernels(() => predictScores(network, images));
      const alone = inFastestKernels(() =>
        Array.from(
          { length: LEAKAGE_IMAGES },
          (_, i) => predictScores(network, new Tensor([1, 1, 28, 28], images.data.slice(i * 784, (i + 1) * 784)))[0],
        ),
      );
      return { together, alone };
    },
    verify: ({ together, alone }) => {
      for (let i = 0; i < together.length; i++) {
        for (let c = 0; c < 10; c++) {
          const [a, b] = [together[i][c], alone[i][c]];
          if (!Number.isFinite(a)) fail(`image ${i}, class ${c}: the score is ${a}; every score must be finite`);
          if (Math.abs(a - b) > 1e-9 * (1 + Math.abs(b))) {
            fail(
              `image ${i}, class ${c}: scored ${a} in a batch of ${together.length} but ${b} alone: in eval mode an image's scores must not depend on the other images of its batch. ` +
                "Look at BatchNorm (eval mode uses the running statistics, not the batch's) and Dropout (off in eval mode), and at NeuralNetwork.predict/eval setting every layer's training flag",
            );
          }
        }
      }
    },
  }),
  training({
    title: `the submitted weights reach the 'baseline' accuracy on the first ${ACCURACY_IMAGES} validation images (less a margin of ${ACCURACY_MARGIN})`,
    run: () => {
      const network = submittedModel();
      const validation = loadFashionMnist('validation', { limit: ACCURACY_IMAGES });
      const scores = inFastestKernels(() => predictScores(network, validation.x));
      return { predicted: scores.map((row) => row.indexOf(Math.max(...row))), labels: [...validation.labels] };
    },
    verify: ({ predicted, labels }) => {
      const baseline = CHALLENGE_ACCURACY.baseline;
      const accuracy = predicted.filter((label, i) => label === labels[i]).length / labels.length;
      if (!(accuracy >= baseline - ACCURACY_MARGIN)) {
        fail(
          `validation accuracy ${(accuracy * 100).toFixed(2)}% is below ${((baseline - ACCURACY_MARGIN) * 100).toFixed(2)}% (the baseline's ${(baseline * 100).toFixed(0)}% less ${ACCURACY_MARGIN * 100} points). ` +
            "Retrain with `npm run challenge:train` (were the weights trained for this model?), watch the loss fall, and see the handout's advice on sanity checks and hyper-parameters",
        );
      }
    },
  }),
]);
