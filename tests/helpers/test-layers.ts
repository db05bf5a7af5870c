import { mul, zip, StatelessLayer, type Tensor } from '../../framework/index.js';

/**
 * Test-local layers, so that Exercise 3 tests do not depend on the student's ReLU or Flatten
 * (DESIGN §5); the dense layer is tests/helpers/dense-double.ts. They are deliberately plain:
 * framework ops, no checks.
 */

/** max(0, x), derivative 0 at 0. */
export class Rectifier extends StatelessLayer {
  readonly name = 'Rectifier (test double)';
  #input?: Tensor;

  forward(input: Tensor): Tensor {
    this.#input = input;
    return zip(input, input, (x) => (x > 0 ? x : 0));
  }

  backward(gradOutput: Tensor): Tensor {
    return mul(
      gradOutput,
      zip(this.#input as Tensor, this.#input as Tensor, (x) => (x > 0 ? 1 : 0)),
    );
  }
}

/** [batch, …] → [batch, rest], and back in backward. */
export class Flattener extends StatelessLayer {
  readonly name = 'Flattener (test double)';
  #shape?: readonly number[];

  forward(input: Tensor): Tensor {
    this.#shape = input.shape;
    return input.reshape([input.shape[0], -1]);
  }

  backward(gradOutput: Tensor): Tensor {
    return gradOutput.reshape(this.#shape as number[]);
  }
}
