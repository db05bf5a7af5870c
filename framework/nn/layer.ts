import type { Initializer } from './initializer.js';
import type { Parameter } from './parameter.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * A layer of a network. `forward` caches what `backward` needs; `backward` takes ∂L/∂output,
 * **adds** the parameter gradients to each `Parameter.grad` and returns ∂L/∂input.
 */
export interface Layer {
  /** Printed in errors and summaries: 'FullyConnected', 'ReLU', … */
  readonly name: string;
  /** True between the network's `train()` and `eval()` (dropout and batch norm read it). */
  training: boolean;
  forward(input: Tensor): Tensor;
  backward(gradOutput: Tensor): Tensor;
  /** The trainable parameters, in a fixed order (empty for a layer without any). */
  parameters(): Parameter[];
  /** Re-initialises the parameters; the network calls it on `append` when it has initialisers. */
  initialize?(weights: Initializer, biases: Initializer, rng: Rng): void;
  /** State that is saved with the weights but is not trained (batch norm's running statistics). */
  buffers?(): Record<string, Tensor>;
}

/** Base for the layers without parameters: a name and a phase flag. */
export abstract class StatelessLayer implements Layer {
  abstract readonly name: string;
  training = true;
  abstract forward(input: Tensor): Tensor;
  abstract backward(gradOutput: Tensor): Tensor;
  parameters(): Parameter[] {
    return [];
  }
}
