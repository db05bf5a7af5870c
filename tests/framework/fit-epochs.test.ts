import { describe, expect, it } from 'vitest';
import { fitEpochs, ValueError, type EarlyStoppingRule } from '../../framework/index.js';
import { overfittingNetwork, splitRows } from '../helpers/early-stopping-doubles.js';
import { noisyBlobs } from '../helpers/overfitting.js';

/** The given epoch loop that asks an early-stopping rule (Exercise 6; docs/conventions.md). */
const { train, test } = noisyBlobs();
const validation = splitRows(test, 100).first;

/** A rule double: improvements at the listed epochs, stop at `stopAt`; records the losses it was given. */
function scripted(improvements: number[], stopAt: number): EarlyStoppingRule & { losses: number[]; improved: boolean } {
  let epoch = -1;
  let best = -1;
  return {
    losses: [],
    improved: false,
    get bestEpoch() {
      return best;
    },
    update(loss: number) {
      epoch++;
      this.losses.push(loss);
      this.improved = improvements.includes(epoch);
      if (this.improved) best = epoch;
      return epoch === stopAt;
    },
  };
}

describe('framework fitEpochs', () => {
  it('without a rule runs every epoch (one pass of ⌈n / batchSize⌉ mini-batches each) and reports the losses', () => {
    const result = fitEpochs(overfittingNetwork(1), { data: train, validation, epochs: 3, batchSize: 30 });
    expect(result.epochsRun).toBe(3);
    expect(result.bestEpoch).toBe(2);
    expect(result.stoppedEarly).toBe(false);
    expect(result.validationLoss).toHaveLength(3);
    expect(result.trainLoss.every(Number.isFinite)).toBe(true);
  });

  it('asks the rule after every epoch with the validation loss, stops when it says so, and restores the best epoch', () => {
    const snapshots: string[] = [];
    const network = overfittingNetwork(2);
    const rule = scripted([0, 1], 3);
    const result = fitEpochs(network, {
      data: train,
      validation,
      epochs: 10,
      batchSize: 20,
      earlyStopping: rule,
      onEpoch: () => snapshots.push(JSON.stringify(network.toJSON())),
    });
    expect(result.epochsRun).toBe(4);
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBe(1);
    expect(rule.losses).toEqual(result.validationLoss);
    expect(JSON.stringify(network.toJSON())).toBe(snapshots[1]);
  });

  it('keeps the last weights with restoreBest: false', () => {
    const snapshots: string[] = [];
    const network = overfittingNetwork(2);
    fitEpochs(network, {
      data: train,
      validation,
      epochs: 10,
      batchSize: 20,
      earlyStopping: scripted([0], 2),
      restoreBest: false,
      onEpoch: () => snapshots.push(JSON.stringify(network.toJSON())),
    });
    expect(JSON.stringify(network.toJSON())).toBe(snapshots[2]);
  });

  it('refuses epochs or batchSize that are not positive integers', () => {
    expect(() => fitEpochs(overfittingNetwork(1), { data: train, validation, epochs: 0, batchSize: 20 })).toThrow(
      ValueError,
    );
    expect(() => fitEpochs(overfittingNetwork(1), { data: train, validation, epochs: 2, batchSize: 2.5 })).toThrow(
      /batchSize/,
    );
  });
});
