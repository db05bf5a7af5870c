import { ValueError } from '../../framework/errors.js';
import {
  checkStep,
  positiveIntegerOption,
  positiveOption,
  type LearningRateSchedule,
} from '../../framework/nn/schedule.js';

/**
 * Cyclical learning rate, "triangular" (Smith 2017; seed 000: 2434–2450, no formula there): the rate
 * climbs linearly from `lr` to `maxLr` in `stepSize` updates, falls back in as many, and repeats with
 * period 2·stepSize:
 *   cycle = ⌊1 + t / (2·stepSize)⌋,  x = |t / stepSize − 2·cycle + 1|,
 *   η(t) = lr + (maxLr − lr) · max(0, 1 − x) · scale(cycle)
 * with scale = 1 for `mode: 'triangular'` (default) and 1/2^(cycle − 1) for `'triangular2'`, where
 * "the range is cut in half after each cycle" (000: 2450). PyTorch's CyclicLR uses the same formula.
 *
 * Handout: docs/exercises/6-modern.md#cyclical
 */
export class Cyclical implements LearningRateSchedule {
  readonly name = 'Cyclical';
  readonly lr: number;
  readonly maxLr: number;
  readonly stepSize: number;
  readonly mode: 'triangular' | 'triangular2';

  constructor(options: { lr: number; maxLr: number; stepSize: number; mode?: 'triangular' | 'triangular2' }) {
    this.lr = positiveOption(options.lr, 'lr', 'Cyclical');
    this.maxLr = positiveOption(options.maxLr, 'maxLr', 'Cyclical');
    this.stepSize = positiveIntegerOption(options.stepSize, 'stepSize', 'Cyclical');
    this.mode = options.mode ?? 'triangular';
    if (this.maxLr <= this.lr)
      throw new ValueError(
        `Cyclical: maxLr (${this.maxLr}) must be larger than lr (${this.lr}), the bottom of the cycle`,
      );
    if (this.mode !== 'triangular' && this.mode !== 'triangular2')
      throw new ValueError(`Cyclical: mode must be 'triangular' or 'triangular2', got ${String(this.mode)}`);
  }

  at(step: number): number {
    checkStep(step, 'Cyclical.at');
    // BEGIN SOLUTION
    const cycle = Math.floor(1 + step / (2 * this.stepSize));
    const x = Math.abs(step / this.stepSize - 2 * cycle + 1);
    const scale = this.mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : 1;
    return this.lr + (this.maxLr - this.lr) * Math.max(0, 1 - x) * scale;
    // END SOLUTION
  }
}
