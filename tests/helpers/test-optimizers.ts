import { BaseOptimizer, neg, scale, sub, type OptimizerOptions, type Tensor } from '../../framework/index.js';

/**
 * Test-local optimizers, so that an Exercise 3 test never depends on the student's own Sgd or Adam
 * (DESIGN §5). They extend the framework's BaseOptimizer, which applies any regularizer.
 */

/** Plain gradient descent, w ← w − η·g. */
export class PlainSgd extends BaseOptimizer {
  readonly name = 'PlainSgd (test double)';

  constructor(options: { lr: number } & OptimizerOptions) {
    super(options.lr, options);
  }

  protected update(value: Tensor, grad: Tensor): Tensor {
    const change = scale(grad, this.learningRate);
    return sub(value, change);
  }
}

/**
 * An optimizer whose own update flips every sign, w ← −w (it ignores the gradient): a regularizer
 * test can then tell a penalty taken from the weights before the step from one taken after it.
 */
export class FlipOptimizer extends BaseOptimizer {
  readonly name = 'FlipOptimizer (test double)';

  protected update(value: Tensor): Tensor {
    return neg(value);
  }
}

/** Adam with bias correction (β₁ = 0.9, β₂ = 0.999, ε = 1e-8), written as plain loops. */
export class PlainAdam extends BaseOptimizer {
  readonly name = 'PlainAdam (test double)';

  constructor(options: { lr: number } & OptimizerOptions) {
    super(options.lr, options);
  }

  protected update(value: Tensor, grad: Tensor, state: Map<string, Tensor | number>): Tensor {
    const count = ((state.get('step') as number | undefined) ?? 0) + 1;
    const first = (state.get('m') as Tensor | undefined) ?? scale(grad, 0);
    const second = (state.get('v') as Tensor | undefined) ?? scale(grad, 0);
    const next = value.clone();
    const [w, g, m, v] = [next.data, grad.data, first.data, second.data];
    for (let i = 0; i < w.length; i++) {
      m[i] = 0.9 * m[i] + 0.1 * g[i];
      v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
      const mHat = m[i] / (1 - 0.9 ** count);
      const vHat = v[i] / (1 - 0.999 ** count);
      w[i] -= (this.learningRate * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
    state.set('step', count);
    state.set('m', first);
    state.set('v', second);
    return next;
  }
}
