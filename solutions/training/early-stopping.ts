import { NonFiniteError } from '../../framework/errors.js';
import { nonNegativeOption, positiveIntegerOption } from '../../framework/nn/schedule.js';
import type { EarlyStoppingRule } from '../../framework/nn/fit-epochs.js';

/**
 * Early stopping (seed 004: 3594–3599: "Define stopping criterion; Use parameters with minimum
 * validation loss"; 000: 1150–1163; 001: 376). Called once per epoch with the validation loss:
 *   an epoch improves when loss < bestLoss − minDelta; then bestLoss ← loss, bestEpoch ← epoch and
 *   the count of epochs without improvement goes back to 0; otherwise the count grows by 1;
 *   training should stop once that count reaches `patience`.
 * A loss lower than the best by minDelta or less is **not** an improvement: it neither moves the best
 * epoch nor resets the count (Keras' `min_delta`). Epochs are numbered from 0 by the calls to
 * `update`. The given loop `fitEpochs` (framework/nn/fit-epochs.ts) asks it and restores the weights
 * of `bestEpoch`.
 *
 * Handout: docs/exercises/6-modern.md#earlystopping
 */
export class EarlyStopping implements EarlyStoppingRule {
  readonly name = 'EarlyStopping';
  readonly patience: number;
  readonly minDelta: number;
  /** The lowest validation loss that counted as an improvement (∞ before the first epoch). */
  bestLoss = Infinity;
  /** The epoch (0-based) of `bestLoss`; −1 before the first epoch. */
  bestEpoch = -1;
  /** Epochs since the last improvement. */
  epochsWithoutImprovement = 0;
  /** Whether the last `update` was an improvement (the loop saves the weights then). */
  improved = false;
  /** Whether training should stop (true once `epochsWithoutImprovement` reaches `patience`). */
  shouldStop = false;
  #epochs = 0;

  constructor(options: { patience: number; minDelta?: number }) {
    this.patience = positiveIntegerOption(options.patience, 'patience', 'EarlyStopping');
    this.minDelta = nonNegativeOption(options.minDelta ?? 0, 'minDelta', 'EarlyStopping');
  }

  /** Epochs seen so far (calls to `update`). */
  get epochs(): number {
    return this.#epochs;
  }

  /** Records the validation loss of the next epoch; returns true when training should stop. */
  update(validationLoss: number): boolean {
    if (typeof validationLoss !== 'number' || !Number.isFinite(validationLoss)) {
      throw new NonFiniteError(
        `EarlyStopping.update: the validation loss of epoch ${this.#epochs} is ${validationLoss}; it must be a finite number`,
      );
    }
    const epoch = this.#epochs++;
    // BEGIN SOLUTION
    this.improved = validationLoss < this.bestLoss - this.minDelta;
    if (this.improved) {
      this.bestLoss = validationLoss;
      this.bestEpoch = epoch;
      this.epochsWithoutImprovement = 0;
    } else {
      this.epochsWithoutImprovement++;
    }
    this.shouldStop = this.epochsWithoutImprovement >= this.patience;
    return this.shouldStop;
    // END SOLUTION
  }
}
