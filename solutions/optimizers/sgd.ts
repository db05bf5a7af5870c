import { scale, sub } from '../../framework/ops/arithmetic.js';
import { BaseOptimizer, type OptimizerOptions } from '../../framework/nn/optimizer.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Stochastic gradient descent: w ← w − η·∇L(w).
 * Seed 004: 2340–2371 (gradient descent and mini-batch SGD), 000: 1010–1057 (the SGD algorithm box).
 * The regularizer, if any, is applied by BaseOptimizer after this update (DESIGN §3).
 *
 * Handout: docs/exercises/1-feed-forward.md#sgd
 */
export class Sgd extends BaseOptimizer {
  readonly name = 'Sgd';

  constructor(options: { lr: number } & OptimizerOptions) {
    super(options.lr, options);
  }

  protected update(value: Tensor, grad: Tensor): Tensor {
    // BEGIN SOLUTION
    return sub(value, scale(grad, this.learningRate));
    // END SOLUTION
  }
}
