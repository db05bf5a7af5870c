import { ValueError } from '../../framework/errors.js';
import { mul } from '../../framework/ops/arithmetic.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape, sameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { defaultRng } from '../../framework/random/default-rng.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';
import type { Rng } from '../../framework/random/rng.js';

/**
 * Inverted dropout. `rate` is the probability of **dropping** a unit (000: 2275, "dropout rate").
 *
 * Training: draw a mask m with m_i = 0 with probability `rate`, else 1/(1 − rate), and return
 *   y = x ⊙ m;   backward: ∂L/∂x = ∂L/∂y ⊙ m (the same mask).
 * Scaling the kept units by 1/(1 − rate) at training time keeps E[y] = x, so evaluation is the
 * identity: y = x, ∂L/∂x = ∂L/∂y. That is the "inverse dropout" of 000: 2312 (what PyTorch and Keras
 * do); the FAU seed 004: 3894–3895 instead keeps with probability p and multiplies by p at test time.
 *
 * Every mask comes from the Rng given as `{ rng }` (default: the framework's defaultRng()).
 * For a gradient check with the mask held fixed, set `freezeMask = true`: forward then reuses the last
 * mask (drawing one only if there is none of the input's shape), so the layer is a fixed linear map.
 *
 * Handout: docs/exercises/3-regularization.md#dropout
 */
export class Dropout extends StatelessLayer {
  readonly name = 'Dropout';
  readonly rate: number;
  /** When true, training forwards reuse the last mask instead of drawing a new one (for gradient checks). */
  freezeMask = false;
  readonly #rng: Rng;
  #mask?: Tensor;
  /** What the last forward did: 'masked' (training) or 'identity' (evaluation); backward repeats it. */
  #lastForward?: 'masked' | 'identity';

  constructor(rate: number, options: { rng?: Rng } = {}) {
    super();
    if (!Number.isFinite(rate) || rate < 0 || rate >= 1) {
      throw new ValueError(`Dropout: rate is the probability of dropping a unit and must be in [0, 1), got ${rate}`);
    }
    this.rate = rate;
    this.#rng = options.rng ?? defaultRng();
  }

  /** The mask of the last training forward: 0 for a dropped unit, 1/(1 − rate) for a kept one. */
  get mask(): Tensor | undefined {
    return this.#mask;
  }

  forward(input: Tensor): Tensor {
    expectFinite(input, 'Dropout.forward');
    if (!this.training) {
      this.#lastForward = 'identity';
      return input;
    }
    if (!(this.freezeMask && this.#mask && sameShape(this.#mask.shape, input.shape))) {
      const mask = allocate(input.dtype, input.size);
      // BEGIN SOLUTION
      const keptScale = 1 / (1 - this.rate);
      for (let i = 0; i < mask.length; i++) mask[i] = this.#rng.uniform() < this.rate ? 0 : keptScale;
      // END SOLUTION
      this.#mask = new Tensor(input.shape, mask);
    }
    this.#lastForward = 'masked';
    const mask = this.#mask as Tensor;
    // BEGIN SOLUTION
    return mul(input, mask);
    // END SOLUTION
  }

  backward(gradOutput: Tensor): Tensor {
    const lastForward = cached(this.#lastForward, 'Dropout.backward');
    if (lastForward === 'identity') return gradOutput;
    const mask = cached(this.#mask, 'Dropout.backward');
    expectSameShape(mask.shape, gradOutput.shape, 'Dropout.backward', ['mask', 'gradOutput']);
    // BEGIN SOLUTION
    return mul(gradOutput, mask);
    // END SOLUTION
  }
}
