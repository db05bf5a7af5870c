import { ValueError } from '../../framework/errors.js';
import {
  checkStep,
  nonNegativeOption,
  positiveIntegerOption,
  positiveOption,
  type LearningRateSchedule,
} from '../../framework/nn/schedule.js';

/**
 * Linear decay until update τ (seed 000: 2414–2428):
 *   α[t] = (1 − t/τ)·α[0] + (t/τ)·α[τ]   for t ≤ τ,
 *   α[t] = α[τ]                          for t > τ,
 * with α[0] = `lr`, α[τ] = `finalLr` and τ = `steps`. Use this first form of 000: 2416: its second
 * form, t·(−(α[0] + α[τ])/τ) + α[0], has a sign error (the slope is (α[τ] − α[0])/τ; seeds catalogue
 * §4.10). The worked table of 000: 2422–2428 (τ = 4: ¾α[0] + ¼α[τ] at t = 1, …, α[τ] from t = 4 on)
 * is a test. t counts updates from 0, so the first update uses α[0].
 *
 * Handout: docs/exercises/6-modern.md#lineardecay
 */
export class LinearDecay implements LearningRateSchedule {
  readonly name = 'LinearDecay';
  readonly lr: number;
  readonly finalLr: number;
  readonly steps: number;

  constructor(options: { lr: number; finalLr: number; steps: number }) {
    this.lr = positiveOption(options.lr, 'lr', 'LinearDecay');
    this.finalLr = nonNegativeOption(options.finalLr, 'finalLr', 'LinearDecay');
    this.steps = positiveIntegerOption(options.steps, 'steps', 'LinearDecay');
    if (this.finalLr > this.lr)
      throw new ValueError(`LinearDecay: finalLr (${this.finalLr}) must not exceed lr (${this.lr}); a decay goes down`);
  }

  at(step: number): number {
    checkStep(step, 'LinearDecay.at');
    // BEGIN SOLUTION
    if (step > this.steps) return this.finalLr;
    const fraction = step / this.steps;
    return (1 - fraction) * this.lr + fraction * this.finalLr;
    // END SOLUTION
  }
}
