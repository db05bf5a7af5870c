import {
  checkStep,
  decayFactorOption,
  positiveIntegerOption,
  positiveOption,
  type LearningRateSchedule,
} from '../../framework/nn/schedule.js';

/**
 * Step decay: η(t) = η₀ · γ^⌊t / n⌋, the rate is multiplied by γ (`factor`) every n (`stepSize`)
 * updates and constant in between. Seed 004: 4486 ("Every n epochs, reduce learning rate by a
 * certain factor, e.g. 0.5"), 004: 2406 ("start with η = 0.01 and divide every x epoch by 10"),
 * 003: 529–533 (piecewise constant: η₀ = 0.01 for 5 epochs, then η₁ = 0.0001). t counts updates from
 * 0 (docs/conventions.md, Exercise 6); with one update per epoch it counts epochs. γ = 0.1 by default
 * (004: 2406, PyTorch's StepLR).
 *
 * Handout: docs/exercises/6-modern.md#stepdecay
 */
export class StepDecay implements LearningRateSchedule {
  readonly name = 'StepDecay';
  readonly lr: number;
  readonly stepSize: number;
  readonly factor: number;

  constructor(options: { lr: number; stepSize: number; factor?: number }) {
    this.lr = positiveOption(options.lr, 'lr', 'StepDecay');
    this.stepSize = positiveIntegerOption(options.stepSize, 'stepSize', 'StepDecay');
    this.factor = decayFactorOption(options.factor ?? 0.1, 'factor', 'StepDecay');
  }

  at(step: number): number {
    checkStep(step, 'StepDecay.at');
    // BEGIN SOLUTION
    return this.lr * this.factor ** Math.floor(step / this.stepSize);
    // END SOLUTION
  }
}
