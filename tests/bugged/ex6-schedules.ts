import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 6's learning-rate schedules and early stopping (see variant.ts). */
export const ex6Schedules: readonly BuggedVariant[] = [
  {
    id: 'step-decay-off-by-one-step',
    exercise: 'ex6',
    component: 'StepDecay',
    file: 'schedules/step-decay.ts',
    bug: 'counts steps from 1 (the first update is step 1), so every decay comes one update early',
    replace: [['Math.floor(step / this.stepSize)', 'Math.floor((step + 1) / this.stepSize)']],
  },
  {
    id: 'exponential-decay-per-epoch-staircase',
    exercise: 'ex6',
    component: 'ExponentialDecay',
    file: 'schedules/exponential-decay.ts',
    bug: 'decays once per decaySteps updates (per epoch, ⌊t/s⌋) instead of a little at every update (t/s)',
    replace: [['this.decayRate ** (step / this.decaySteps)', 'this.decayRate ** Math.floor(step / this.decaySteps)']],
  },
  {
    id: 'inverse-time-decay-ignores-decay-steps',
    exercise: 'ex6',
    component: 'InverseTimeDecay',
    file: 'schedules/inverse-time-decay.ts',
    bug: 'copies 004: 4489 literally, η₀/(1 + k·t), and forgets to divide t by decaySteps',
    replace: [['(1 + (this.decayRate * step) / this.decaySteps)', '(1 + this.decayRate * step)']],
  },
  {
    id: 'linear-decay-seed-sign-error',
    exercise: 'ex6',
    component: 'LinearDecay',
    file: 'schedules/linear-decay.ts',
    bug: 'uses the second form of seed 000: 2416, t·(−(α[0] + α[τ])/τ) + α[0], whose slope has the wrong sign on α[τ]',
    replace: [
      [
        'return (1 - fraction) * this.lr + fraction * this.finalLr;',
        'return fraction * -(this.lr + this.finalLr) + this.lr;',
      ],
    ],
  },
  {
    id: 'cosine-annealing-never-reaches-minimum',
    exercise: 'ex6',
    component: 'CosineAnnealing',
    file: 'schedules/cosine-annealing.ts',
    bug: 'divides by T + 1 (the number of steps in 0 … T), so the cosine never reaches π and the rate never reaches η_min',
    replace: [['(Math.PI * current) / this.period', '(Math.PI * current) / (this.period + 1)']],
  },
  {
    id: 'cyclical-period-of-one-half-cycle',
    exercise: 'ex6',
    component: 'Cyclical',
    file: 'schedules/cyclical.ts',
    bug: 'takes stepSize as the whole cycle: cycle = ⌊1 + t/stepSize⌋, so the rate climbs and then sits at lr for the falling half',
    replace: [['Math.floor(1 + step / (2 * this.stepSize))', 'Math.floor(1 + step / this.stepSize)']],
  },
  {
    id: 'early-stopping-resets-patience-on-small-improvement',
    exercise: 'ex6',
    component: 'EarlyStopping',
    file: 'training/early-stopping.ts',
    bug: 'restarts the patience count on any lower loss, also on one that improved by less than minDelta',
    replace: [
      [
        '      this.epochsWithoutImprovement++;',
        '      this.epochsWithoutImprovement = validationLoss < this.bestLoss ? 0 : this.epochsWithoutImprovement + 1;',
      ],
    ],
  },
];
