import { add } from '../../framework/ops/arithmetic.js';
import { cached } from '../../framework/tensor/checks.js';
import { formatShape, sameShape } from '../../framework/tensor/shape.js';
import { ShapeError, ValueError } from '../../framework/errors.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Parameter } from '../../framework/nn/parameter.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

export interface ResidualBlockOptions {
  /**
   * The shortcut when the body changes the shape (more channels, a stride): usually a 1×1 Conv with
   * its own weight and bias, 'valid', with the body's stride, so that W_s·x has the body's output shape
   * (seed 000: 2784–2789). Without it the shortcut is the identity.
   */
  projection?: Layer;
}

/**
 * Residual block: y = F(x) + shortcut(x), the body F (a layer or a list of layers run in order) plus
 * the identity, or a projection W_s·x when F changes the shape. Seed 000: 2765–2789 ("Instead of
 * fitting H(x), the net is ought to learn the residual mapping F(x) := H(x) − x … H(x) = F(x) + x";
 * "y = F(x) + W_s x" when the dimensions differ); seed 004: 5295–5321 (the residual unit, K = 2 or 3
 * layers in the body; with g and h the identity it is the pre-activation unit) and 5365–5368 (the
 * bottleneck body 1×1 → 3×3 → 1×1). The block adds; an activation after the sum ("jointly
 * activated", 000: 2761) is the next layer of the network.
 *
 * Backward: the sum sends g = ∂L/∂y down both paths unchanged, and x fed both, so
 *   ∂L/∂x = (∂F/∂x)ᵀ·g + g               (identity shortcut)
 *   ∂L/∂x = (∂F/∂x)ᵀ·g + (∂(W_s x)/∂x)ᵀ·g  (projection)
 * The "+ g" is why a deep residual net still trains: the gradient reaches early layers through the
 * shortcuts even where the bodies' gradients vanish (004: 5381–5385, the ensemble view).
 *
 * Shapes: whatever the body takes; F(x) and shortcut(x) must have the same shape (a ShapeError that
 * says to pass a projection otherwise). `parameters()` are the body's, in order, then the
 * projection's; setting `training` sets it on every layer inside.
 *
 * Handout: docs/exercises/6-modern.md#residualblock
 */
export class ResidualBlock implements Layer {
  readonly name = 'ResidualBlock';
  readonly body: readonly Layer[];
  readonly projection?: Layer;
  #training = true;
  #input?: Tensor;

  constructor(body: Layer | readonly Layer[], options: ResidualBlockOptions = {}) {
    const layers = Array.isArray(body) ? [...(body as readonly Layer[])] : [body as Layer];
    if (layers.length === 0) throw new ValueError('ResidualBlock: the body needs at least one layer');
    this.body = Object.freeze(layers);
    this.projection = options.projection;
  }

  get training(): boolean {
    return this.#training;
  }

  set training(value: boolean) {
    this.#training = value;
    for (const layer of this.body) layer.training = value;
    if (this.projection) this.projection.training = value;
  }

  forward(input: Tensor): Tensor {
    this.#input = input;
    // BEGIN SOLUTION
    let residual = input;
    for (const layer of this.body) residual = layer.forward(residual);
    const shortcut = this.projection ? this.projection.forward(input) : input;
    return add(residual, this.#matching(shortcut, residual, input));
    // END SOLUTION
  }

  backward(gradOutput: Tensor): Tensor {
    cached(this.#input, 'ResidualBlock.backward');
    // BEGIN SOLUTION
    let throughBody = gradOutput;
    for (let i = this.body.length - 1; i >= 0; i--) throughBody = this.body[i].backward(throughBody);
    const throughShortcut = this.projection ? this.projection.backward(gradOutput) : gradOutput;
    return add(throughBody, throughShortcut);
    // END SOLUTION
  }

  parameters(): Parameter[] {
    return [...this.body.flatMap((layer) => layer.parameters()), ...(this.projection?.parameters() ?? [])];
  }

  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    for (const layer of this.body) layer.initialize?.(weights, biases, rng);
    this.projection?.initialize?.(weights, biases, rng);
  }

  /** The body's and the projection's buffers (batch norm's running statistics), by path. */
  buffers(): Record<string, Tensor> {
    const found: Record<string, Tensor> = {};
    this.body.forEach((layer, i) => {
      for (const [name, buffer] of Object.entries(layer.buffers?.() ?? {})) found[`body.${i}.${name}`] = buffer;
    });
    for (const [name, buffer] of Object.entries(this.projection?.buffers?.() ?? {}))
      found[`projection.${name}`] = buffer;
    return found;
  }

  /**
   * The shortcut, once it is known to have the residual's shape (call it before adding the two):
   * `add` would broadcast a [b, C, 1, 1] body output silently, so a mismatch is an error here.
   */
  #matching(shortcut: Tensor, residual: Tensor, input: Tensor): Tensor {
    if (sameShape(shortcut.shape, residual.shape)) return shortcut;
    const fix = this.projection
      ? "the projection must give the body's output shape (a 1×1 Conv with the body's output channels and stride)"
      : "pass { projection } (a 1×1 Conv with the body's output channels and stride, 'valid') when the body changes the shape";
    throw new ShapeError(
      `ResidualBlock.forward: the body maps ${formatShape(input.shape)} to ${formatShape(residual.shape)}, but the shortcut gives ${formatShape(shortcut.shape)}; they cannot be added: ${fix}`,
    );
  }
}
