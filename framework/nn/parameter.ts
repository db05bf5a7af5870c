import { add, zerosOn } from '../ops/arithmetic.js';
import { ShapeError } from '../errors.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * What a parameter is for. Regularizers apply to `weight`s only (never to biases or
 * normalisation scales), as DESIGN §3 fixes.
 */
export type ParameterRole = 'weight' | 'bias' | 'scale' | 'shift';

/** A trainable tensor and the gradient accumulated for it since the last `zeroGrad`. */
export class Parameter {
  value: Tensor;
  grad: Tensor;

  constructor(
    readonly name: string,
    value: Tensor,
    readonly role: ParameterRole = 'weight',
  ) {
    this.value = value;
    this.grad = zerosOn(value);
  }

  /** grad ← grad + delta. Backward passes call this, so two backward calls give twice the gradient. */
  accumulate(delta: Tensor): void {
    if (!sameShape(delta.shape, this.value.shape)) {
      throw new ShapeError(
        `Parameter '${this.name}': gradient ${formatShape(delta.shape)} does not match the parameter ${formatShape(this.value.shape)}`,
      );
    }
    this.grad = add(this.grad, delta);
  }

  /** Replaces the value (initialisers and optimizers); the shape must not change. */
  assign(value: Tensor): void {
    if (!sameShape(value.shape, this.value.shape)) {
      throw new ShapeError(
        `Parameter '${this.name}': new value ${formatShape(value.shape)} does not match ${formatShape(this.value.shape)}`,
      );
    }
    this.value = value;
  }

  zeroGrad(): void {
    this.grad = zerosOn(this.value);
  }
}
