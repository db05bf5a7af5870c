import { ValueError } from '../../framework/errors.js';
import {
  checkStep,
  nonNegativeOption,
  positiveIntegerOption,
  positiveOption,
  type LearningRateSchedule,
} from '../../framework/nn/schedule.js';

/**
 * Cosine annealing (Loshchilov and Hutter, SGDR; seed 000: 2454–2455 names it, without a formula):
 *   η(t) = η_min + ½·(η_max − η_min)·(1 + cos(π·t_cur / T))
 * with η_max = `lr`, η_min = `minLr` (default 0) and T = `period`. Without restarts t_cur = min(t, T):
 * the rate falls from η_max at t = 0 to exactly η_min at t = T and stays there. With
 * `restarts: true` (warm restarts, "abruptly restart the learning rate after a fixed number of
 * iterations", 000: 2454) t_cur = t mod T: every T updates the rate jumps back to η_max.
 *
 * Handout: docs/exercises/6-modern.md#cosineannealing
 */
export class CosineAnnealing implements LearningRateSchedule {
  readonly name = 'CosineAnnealing';
  readonly lr: number;
  readonly minLr: number;
  readonly period: number;
  readonly restarts: boolean;

  constructor(options: { lr: number; period: number; minLr?: number; restarts?: boolean }) {
    this.lr = positiveOption(options.lr, 'lr', 'CosineAnnealing');
    this.period = positiveIntegerOption(options.period, 'period', 'CosineAnnealing');
    this.minLr = nonNegativeOption(options.minLr ?? 0, 'minLr', 'CosineAnnealing');
    this.restarts = options.restarts ?? false;
    if (this.minLr > this.lr)
      throw new ValueError(`CosineAnnealing: minLr (${this.minLr}) must not exceed lr (${this.lr})`);
  }

  at(step: number): number {
    checkStep(step, 'CosineAnnealing.at');
    // BEGIN SOLUTION
    const current = this.restarts ? step % this.period : Math.min(step, this.period);
    return this.minLr + 0.5 * (this.lr - this.minLr) * (1 + Math.cos((Math.PI * current) / this.period));
    // END SOLUTION
  }
}
