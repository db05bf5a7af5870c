import { checkStep, positiveOption, type LearningRateSchedule } from '../../framework/nn/schedule.js';

/**
 * Inverse time (1/t) decay: η(t) = η₀ / (1 + k · t / s), with k = `decayRate` and s = `decaySteps`
 * (default 1). Seed 004: 4489 ("1/t-decay: At epoch t: η = η₀ / (1 + kt)"); 003: 558 names it
 * ("Inverse time decay"). The rate halves after s/k updates, thirds after 2s/k: 1/η grows linearly.
 * t counts updates from 0 (docs/conventions.md, Exercise 6).
 *
 * Handout: docs/exercises/6-modern.md#inversetimedecay
 */
export class InverseTimeDecay implements LearningRateSchedule {
  readonly name = 'InverseTimeDecay';
  readonly lr: number;
  readonly decayRate: number;
  readonly decaySteps: number;

  constructor(options: { lr: number; decayRate: number; decaySteps?: number }) {
    this.lr = positiveOption(options.lr, 'lr', 'InverseTimeDecay');
    this.decayRate = positiveOption(options.decayRate, 'decayRate', 'InverseTimeDecay');
    this.decaySteps = positiveOption(options.decaySteps ?? 1, 'decaySteps', 'InverseTimeDecay');
  }

  at(step: number): number {
    checkStep(step, 'InverseTimeDecay.at');
    // BEGIN SOLUTION
    return this.lr / (1 + (this.decayRate * step) / this.decaySteps);
    // END SOLUTION
  }
}
