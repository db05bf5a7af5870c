import {
  checkStep,
  decayFactorOption,
  positiveOption,
  type LearningRateSchedule,
} from '../../framework/nn/schedule.js';

/**
 * Exponential decay: η(t) = η₀ · r^(t / s), the rate falls smoothly by the factor r (`decayRate`)
 * every s (`decaySteps`) updates, a little at every update. Seed 003: 542 ("η(t) = η₀·0.1^(t/s) …
 * drop by a factor of 10 every s steps. t is the current step (iteration)"); r = 0.1 by default as
 * there. 004: 4488 writes η₀·e^(−kt) with t in epochs: that is r = e^(−k), s = 1 (with one update per
 * epoch). t counts updates from 0, not epochs: the exponent t / s is a real number, never rounded
 * (rounding it down is StepDecay).
 *
 * Handout: docs/exercises/6-modern.md#exponentialdecay
 */
export class ExponentialDecay implements LearningRateSchedule {
  readonly name = 'ExponentialDecay';
  readonly lr: number;
  readonly decayRate: number;
  readonly decaySteps: number;

  constructor(options: { lr: number; decaySteps: number; decayRate?: number }) {
    this.lr = positiveOption(options.lr, 'lr', 'ExponentialDecay');
    this.decaySteps = positiveOption(options.decaySteps, 'decaySteps', 'ExponentialDecay');
    this.decayRate = decayFactorOption(options.decayRate ?? 0.1, 'decayRate', 'ExponentialDecay');
  }

  at(step: number): number {
    checkStep(step, 'ExponentialDecay.at');
    // BEGIN SOLUTION
    return this.lr * this.decayRate ** (step / this.decaySteps);
    // END SOLUTION
  }
}
