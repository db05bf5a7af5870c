import { expect } from 'vitest';
import { Rng, xor, type Layer } from '../../framework/index.js';
import { accuracyOf, labelsOf, tensorData, training } from '../harness/index.js';
import { denseDouble } from './dense-double.js';
import { forwardAll, SoftmaxCrossEntropyDouble, sgdStepDouble, trainDouble } from './doubles.js';
import { PlainSgd } from './test-optimizers.js';
import { predictEval, trainLayers } from './test-training.js';

/**
 * The training check of a hidden activation: dense double → the student's activation → dense double
 * learns XOR, which no linear model can (seed 000: 460–540 is the worked XOR network). The dense
 * layers, the loss and the update are test-local doubles, so only the activation is the student's.
 */

/**
 * The ReLU-like activations of Exercise 3 (ELU, LeakyReLU, SELU): 2 → 12 → 2, full-batch SGD with rate
 * `lr` for 200 steps on 120 points; test accuracy on 200 fresh points ≥ 0.9 and 0.2 above the untrained
 * network's.
 */
export function learnsXorFullBatch(component: string, activation: () => Layer, lr: number) {
  return training({
    title: `a two-layer network with ${component} learns XOR (test accuracy ≥ 0.9, far above its untrained 0.5)`,
    run: () => {
      const rng = new Rng(5);
      const train = xor({ points: 120, rng });
      const test = xor({ points: 200, rng });
      const layers = [denseDouble(2, 12, rng, 'uniform'), activation(), denseDouble(12, 2, rng, 'uniform')];
      const before = tensorData(forwardAll(layers, test.x), 'the network before training');
      const losses = trainDouble(
        layers,
        new SoftmaxCrossEntropyDouble(),
        (p) => sgdStepDouble(p, lr),
        train.x,
        train.y,
        200,
      );
      return {
        first: losses[0],
        last: losses.at(-1)!,
        before,
        after: tensorData(forwardAll(layers, test.x), 'the trained network'),
        labels: labelsOf(test.y),
      };
    },
    verify: ({ first, last, before, after, labels }) => {
      expect(last, `the training loss should fall; check ${component}.backward`).toBeLessThan(first * 0.5);
      const trained = accuracyOf(after, labels);
      expect(trained, 'test accuracy on XOR after training').toBeGreaterThanOrEqual(0.9);
      expect(trained - accuracyOf(before, labels), 'training must improve on the untrained network').toBeGreaterThan(
        0.2,
      );
    },
  });
}

/**
 * The saturating activations of Exercise 3 (Sigmoid, TanH): 2 → 16 → 2, mini-batch SGD (batches of 20)
 * with rate `lr` for `iterations` steps on 200 points, predicted in eval mode; test accuracy on 400
 * fresh points ≥ 0.9. They learn more slowly than the ReLU family, hence their own rate and length.
 */
export function learnsXorMiniBatch(
  component: string,
  activation: () => Layer,
  options: { lr: number; iterations: number },
) {
  return training({
    title: `a network with a ${component} hidden layer learns XOR (seeded; test accuracy ≥ 0.9)`,
    run: () => {
      const data = xor({ points: 200, rng: new Rng(1) });
      const test = xor({ points: 400, rng: new Rng(4) });
      const rng = new Rng(2);
      const layers = [
        denseDouble(2, 16, rng, 'uniform-weights'),
        activation(),
        denseDouble(16, 2, rng, 'uniform-weights'),
      ];
      const losses = trainLayers(layers, data, {
        optimizer: new PlainSgd({ lr: options.lr }),
        iterations: options.iterations,
        batchSize: 20,
        seed: 3,
      });
      return {
        first: losses[0],
        last: losses.at(-1)!,
        scores: tensorData(predictEval(layers, test.x), `the network with ${component} (eval)`),
        labels: labelsOf(test.y),
      };
    },
    verify: ({ first, last, scores, labels }) => {
      const accuracy = accuracyOf(scores, labels);
      expect(last, `the training loss should fall (from ${first}); check ${component}.backward`).toBeLessThan(
        first * 0.5,
      );
      expect(
        accuracy,
        `${component} network on XOR: test accuracy ${accuracy.toFixed(3)}, expected ≥ 0.9; XOR is not linearly separable, so the hidden ${component} and its backward must work`,
      ).toBeGreaterThanOrEqual(0.9);
    },
  });
}
