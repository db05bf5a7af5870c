import { Parameter, StatelessLayer, zeros, type Rng, type Tensor } from '../../framework/index.js';

/**
 * A test-local layer that only holds parameters, so that a check can count, save, load or penalise
 * parameters without depending on any student layer. Forward and backward are the identity.
 */
export class ParameterHolder extends StatelessLayer {
  constructor(
    readonly held: Parameter[],
    readonly name = 'ParameterHolder (test double)',
  ) {
    super();
  }

  /** One parameter of each role (weight, bias, scale, shift): which roles a penalty touches (the regularizer checks). */
  static ofEachRole(values: { weight: Tensor; bias: Tensor; scale: Tensor; shift: Tensor }): ParameterHolder {
    return new ParameterHolder([
      new Parameter('weight', values.weight, 'weight'),
      new Parameter('bias', values.bias, 'bias'),
      new Parameter('scale', values.scale, 'scale'),
      new Parameter('shift', values.shift, 'shift'),
    ]);
  }

  /** Zero parameters of these names and shapes, in order (counting a block's parameters). */
  static ofShapes(shapes: Record<string, number[]>): ParameterHolder {
    return new ParameterHolder(Object.entries(shapes).map(([name, shape]) => new Parameter(name, zeros(shape))));
  }

  /**
   * Parameters of these names and shapes, in order, drawn from N(0, 1) (names may repeat, as in a
   * ResidualBlock's body), under the `name` of the layer they stand for (saving and loading weights).
   */
  static drawn(name: string, entries: readonly (readonly [string, readonly number[]])[], rng: Rng): ParameterHolder {
    return new ParameterHolder(
      entries.map(
        ([parameter, shape]) =>
          new Parameter(parameter, rng.normalTensor(shape, 0, 1), parameter === 'bias' ? 'bias' : 'weight'),
      ),
      name,
    );
  }

  forward(input: Tensor): Tensor {
    return input;
  }

  backward(gradOutput: Tensor): Tensor {
    return gradOutput;
  }

  override parameters(): Parameter[] {
    return this.held;
  }
}
