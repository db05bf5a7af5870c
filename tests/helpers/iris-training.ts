import {
  loadIris,
  Rng,
  standardizer,
  trainTestSplit,
  type Layer,
  type Parameter,
  type Tensor,
} from '../../framework/index.js';
import { accuracyOf, labelsOf, tensorData, type TensorData } from '../harness/index.js';
import { expect } from 'vitest';
import { forwardAll, sgdStepDouble, trainDouble } from './doubles.js';

/**
 * The Iris training check of Exercise 1's components (FullyConnected, SoftMax, the two losses, Sgd): a
 * linear classifier, 4 features → 3 classes, trained full-batch on the standardized training split with
 * plain gradient descent, must reach ≥ 0.9 accuracy on the held-out split, and its loss must fall to
 * under half. Each component's file puts its own class in one place of the network, loss or update and
 * fills the rest with test-local doubles (tests/helpers/doubles.ts), so only that component is judged.
 * `verify` computes the accuracy itself (harness `accuracyOf`) from the raw test scores.
 */
export const IRIS_TRAINING = { iterations: 200, lr: 0.5, accuracy: 0.9 } as const;

/** What a check's run returns: the first and last training loss, and the scores on the test split. */
export interface IrisTraining {
  readonly first: number;
  readonly last: number;
  readonly scores: TensorData;
  readonly labels: number[];
}

export interface IrisTrainingSpec {
  /** Seeds the split and then the layers' initialisation. */
  readonly seed: number;
  /** The network, built from the seeded rng after the split (it ends in what `loss` expects). */
  readonly layers: (rng: Rng) => Layer[];
  /** The loss, with `forward(prediction, target)` → number and `backward()` → ∂L/∂prediction. */
  readonly loss: { forward(prediction: Tensor, target: Tensor): number; backward(): Tensor };
  /** One update of all parameters after a backward, which also clears their gradients; default plain SGD at lr 0.5 (a double). */
  readonly step?: (parameters: Parameter[]) => void;
  /** What produced the test scores, for the message when they are not finite (e.g. 'FullyConnected.forward'). */
  readonly what: string;
}

/** run of an Iris training check: trains as IRIS_TRAINING says and returns the raw data `verifyIrisTraining` judges. */
export function trainOnIris(spec: IrisTrainingSpec): IrisTraining {
  const rng = new Rng(spec.seed);
  const { train, test } = trainTestSplit(loadIris(), { rng });
  const normalize = standardizer(train.x);
  const layers = spec.layers(rng);
  const losses = trainDouble(
    layers,
    spec.loss,
    spec.step ?? ((parameters) => sgdStepDouble(parameters, IRIS_TRAINING.lr)),
    normalize(train.x),
    train.y,
    IRIS_TRAINING.iterations,
  );
  return {
    first: losses[0],
    last: losses.at(-1)!,
    scores: tensorData(forwardAll(layers, normalize(test.x)), spec.what),
    labels: labelsOf(test.y),
  };
}

/**
 * verify of an Iris training check: the last loss is under half the first (else `lossHint` says what to
 * check, e.g. 'check CrossEntropyLoss.backward') and the test accuracy of `network` (e.g. 'a linear layer
 * trained with your Sgd') is at least IRIS_TRAINING.accuracy.
 */
export function verifyIrisTraining(data: IrisTraining, messages: { lossHint: string; network: string }): void {
  expect(data.last, `the training loss should fall to under half its first value: ${messages.lossHint}`).toBeLessThan(
    data.first * 0.5,
  );
  expect(accuracyOf(data.scores, data.labels), `Iris test accuracy of ${messages.network}`).toBeGreaterThanOrEqual(
    IRIS_TRAINING.accuracy,
  );
}
