import fc from 'fast-check';
import { expect } from 'vitest';
import { EarlyStopping } from '#impl/training/early-stopping.js';
import { fitEpochs, NonFiniteError, ValueError } from '../../framework/index.js';
import {
  accuracyOf,
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  fail,
  knownValue,
  property,
  tensorData,
  thrown,
  training,
} from '../harness/index.js';
import {
  earlyStoppingTrace,
  overfittingNetwork,
  splitRows,
  type EarlyStoppingTraceEntry,
} from '../helpers/early-stopping-doubles.js';
import { noisyBlobs } from '../helpers/overfitting.js';

/**
 * Exercise 6, EarlyStopping({ patience, minDelta }) (seed 004: 3594–3599 "Define stopping criterion;
 * Use parameters with minimum validation loss"; 000: 1150–1163; 001: 376): an epoch improves when
 * loss < best − minDelta; stop once `patience` epochs in a row did not. The given loop fitEpochs
 * (framework/nn/fit-epochs.ts) calls it. Handout: docs/exercises/6-modern.md#earlystopping
 */

/** Run side: feeds `losses` to a fresh EarlyStopping; what it says after each epoch. */
function trace(options: { patience: number; minDelta?: number }, losses: readonly number[]): EarlyStoppingTraceEntry[] {
  const rule = new EarlyStopping(options);
  return losses.map((loss) => {
    const stop = rule.update(loss);
    return {
      improved: rule.improved,
      bestEpoch: rule.bestEpoch,
      bestLoss: rule.bestLoss,
      epochsWithoutImprovement: rule.epochsWithoutImprovement,
      stop,
    };
  });
}

/** Verify side: the trace against the rule, epoch by epoch, with a message that names the field. */
function expectTrace(
  received: readonly EarlyStoppingTraceEntry[],
  losses: readonly number[],
  patience: number,
  minDelta: number,
  what: string,
): void {
  const expected = earlyStoppingTrace(losses, patience, minDelta);
  expected.forEach((want, epoch) => {
    const got = received[epoch];
    const where = `${what}, epoch ${epoch} (losses ${losses
      .slice(0, epoch + 1)
      .map((l) => +l.toFixed(4))
      .join(', ')})`;
    if (got.improved !== want.improved)
      fail(
        `${where}: improved should be ${want.improved}: an improvement is loss < bestLoss − minDelta (${want.improved ? 'this one is' : 'a smaller drop is not one'})`,
      );
    if (got.bestEpoch !== want.bestEpoch)
      fail(
        `${where}: bestEpoch should be ${want.bestEpoch}, got ${got.bestEpoch} (epochs count from 0; only an improvement moves it)`,
      );
    expectClose(got.bestLoss, want.bestLoss, 0, `${where}: bestLoss`);
    if (got.epochsWithoutImprovement !== want.epochsWithoutImprovement) {
      fail(
        `${where}: epochsWithoutImprovement should be ${want.epochsWithoutImprovement}, got ${got.epochsWithoutImprovement}: it restarts at 0 only on an improvement larger than minDelta = ${minDelta}`,
      );
    }
    if (got.stop !== want.stop)
      fail(
        `${where}: update should return ${want.stop} (stop once epochsWithoutImprovement reaches patience = ${patience})`,
      );
  });
}

const lossSequences = fc.record({
  patience: fc.integer({ min: 1, max: 5 }),
  minDelta: fc.integer({ min: 0, max: 10 }).map((n) => n / 100),
  // A falling trend with noise, so that improvements, near misses and plateaus all occur.
  losses: fc
    .array(
      fc.integer({ min: -150, max: 100 }).map((n) => n / 1000),
      { minLength: 5, maxLength: 30 },
    )
    .map((steps) => {
      let loss = 2;
      return steps.map((step) => (loss = Math.max(0.01, loss + step)));
    }),
});

export default componentChecks('ex6', 'EarlyStopping', [
  property({
    title:
      'follows the rule (improvement = loss < best − minDelta; stop after patience epochs without one) on loss curves drawn from the seed',
    weight: 2,
    run: (rng) =>
      drawSamples(lossSequences, rng, 40).map((sample) => ({ ...sample, trace: trace(sample, sample.losses) })),
    verify: (samples) =>
      samples.forEach(({ patience, minDelta, losses, trace: received }, i) => {
        expectTrace(
          received,
          losses,
          patience,
          minDelta,
          `sample ${i}: EarlyStopping({ patience: ${patience}, minDelta: ${minDelta} })`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'a loss that falls by more than minDelta every epoch never stops training, and the best epoch is always the latest',
    run: (rng) =>
      drawSamples(
        fc.record({
          patience: fc.integer({ min: 1, max: 4 }),
          minDelta: fc.double({ min: 0, max: 0.05, noNaN: true }),
          length: fc.integer({ min: 3, max: 25 }),
        }),
        rng,
        30,
      ).map(({ patience, minDelta, length }) => {
        const losses = Array.from({ length }, (_, epoch) => 5 - epoch * (minDelta + 0.01));
        return { patience, minDelta, trace: trace({ patience, minDelta }, losses) };
      }),
    verify: (samples) =>
      samples.forEach(({ patience, minDelta, trace: received }, i) => {
        received.forEach((entry, epoch) => {
          if (entry.stop)
            fail(
              `sample ${i}: EarlyStopping({ patience: ${patience}, minDelta: ${minDelta} }) said stop at epoch ${epoch} although every epoch improved by minDelta + 0.01`,
            );
          if (entry.bestEpoch !== epoch)
            fail(
              `sample ${i}: after epoch ${epoch} of a steadily falling loss, bestEpoch should be ${epoch}, got ${entry.bestEpoch}`,
            );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'patience 2, minDelta 0: losses 1.0, 0.8, 0.85, 0.79, 0.9, 0.95 stop after epoch 5 with best epoch 3',
    run: () => trace({ patience: 2 }, [1.0, 0.8, 0.85, 0.79, 0.9, 0.95]),
    verify: (received) => {
      expectTrace(received, [1.0, 0.8, 0.85, 0.79, 0.9, 0.95], 2, 0, 'EarlyStopping({ patience: 2 })');
      expect(
        received.map((entry) => entry.stop),
        'what update returned after each epoch',
      ).toEqual([false, false, false, false, false, true]);
    },
  }),
  knownValue({
    title:
      'minDelta 0.05, patience 2: drops of 0.03 and 0.02 are no improvement and do not reset the count (1.0, 0.97, 0.93, 0.9, 0.88 stops after epoch 4)',
    run: () => trace({ patience: 2, minDelta: 0.05 }, [1.0, 0.97, 0.93, 0.9, 0.88]),
    verify: (received) => {
      expectTrace(received, [1.0, 0.97, 0.93, 0.9, 0.88], 2, 0.05, 'EarlyStopping({ patience: 2, minDelta: 0.05 })');
      expect(
        received.map((entry) => entry.bestEpoch),
        'bestEpoch after each epoch',
      ).toEqual([0, 0, 2, 2, 2]);
    },
  }),
  knownValue({
    title: 'defaults: minDelta = 0, and before any epoch bestEpoch = −1, bestLoss = ∞, no stop',
    run: () => {
      const rule = new EarlyStopping({ patience: 3 });
      const before = {
        bestEpoch: rule.bestEpoch,
        bestLoss: rule.bestLoss,
        shouldStop: rule.shouldStop,
        minDelta: rule.minDelta,
      };
      // An equal loss is no improvement (strictly below best − minDelta).
      return { before, trace: trace({ patience: 1 }, [0.5, 0.5]) };
    },
    verify: ({ before, trace: received }) => {
      expect(before, 'a new EarlyStopping({ patience: 3 })').toEqual({
        bestEpoch: -1,
        bestLoss: Infinity,
        shouldStop: false,
        minDelta: 0,
      });
      expectTrace(received, [0.5, 0.5], 1, 0, 'EarlyStopping({ patience: 1 }) on an equal loss');
    },
  }),
  badInput({
    title: 'refuses patience 0 or 1.5, a negative minDelta (ValueError) and a NaN or infinite loss (NonFiniteError)',
    run: () => {
      // A valid update first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const valid = trace({ patience: 2 }, [1, 2, 3]);
      const rule = new EarlyStopping({ patience: 2 });
      rule.update(1);
      return {
        valid,
        options: [{ patience: 0 }, { patience: 1.5 }, { patience: 2, minDelta: -0.1 }].map((options) =>
          thrown(() => new EarlyStopping(options)),
        ),
        losses: [NaN, Infinity].map((loss) => thrown(() => rule.update(loss))),
      };
    },
    verify: ({ valid, options, losses }) => {
      expectTrace(valid, [1, 2, 3], 2, 0, 'EarlyStopping({ patience: 2 })');
      expectError(options[0], ValueError.name, 'new EarlyStopping({ patience: 0 })', ['patience']);
      expectError(options[1], ValueError.name, 'new EarlyStopping({ patience: 1.5 })', ['patience']);
      expectError(options[2], ValueError.name, 'new EarlyStopping({ patience: 2, minDelta: -0.1 })', ['minDelta']);
      expectError(losses[0], NonFiniteError.name, 'EarlyStopping.update(NaN)');
      expectError(losses[1], NonFiniteError.name, 'EarlyStopping.update(Infinity)');
    },
  }),
  training({
    title:
      'stops an overfitting MLP (test-local, trained by the given fitEpochs) at the right epoch; its best weights reach ≥ 0.85 test accuracy',
    run: (rng) => {
      const { train, test } = noisyBlobs();
      const { first: validation, rest } = splitRows(test, 200);
      const network = overfittingNetwork(1 + rng.int(1000));
      const rule = new EarlyStopping({ patience: 4, minDelta: 0.001 });
      const result = fitEpochs(network, { data: train, validation, epochs: 40, batchSize: 20, earlyStopping: rule });
      return {
        ...result,
        testScores: tensorData(network.predict(rest.x), "the network with the best epoch's weights"),
        testLabels: rest.labels,
      };
    },
    verify: ({ validationLoss, epochsRun, bestEpoch, testScores, testLabels }) => {
      const expected = earlyStoppingTrace(validationLoss, 4, 0.001);
      const stopAt = expected.findIndex((entry) => entry.stop);
      if (stopAt < 0)
        fail(
          `the validation losses ${validationLoss.map((l) => l.toFixed(3)).join(', ')} call for a stop, but training ran all ${epochsRun} epochs: update must return true once patience epochs passed without an improvement`,
        );
      if (epochsRun !== stopAt + 1)
        fail(
          `training should stop after epoch ${stopAt} (validation losses ${validationLoss.map((l) => l.toFixed(3)).join(', ')}), it ran ${epochsRun} epochs`,
        );
      if (bestEpoch !== expected[stopAt].bestEpoch)
        fail(`the best epoch should be ${expected[stopAt].bestEpoch}, EarlyStopping says ${bestEpoch}`);
      expect(
        accuracyOf(testScores, testLabels),
        'test accuracy of the weights of the best epoch (the overfitted end state reaches 0.6–0.78)',
      ).toBeGreaterThanOrEqual(0.85);
    },
    matchReference: false,
  }),
]);
