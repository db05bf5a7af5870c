import { Parameter, StatelessLayer, type Tensor } from '../../framework/index.js';

/**
 * A test-local layer that only holds parameters (one per role), so regularizer and network tests can
 * check which roles a penalty touches without depending on any student layer. Forward is the identity.
 */
export class ParameterHolder extends StatelessLayer {
  readonly name = 'ParameterHolder (test double)';
  readonly held: Parameter[];

  constructor(values: { weight: Tensor; bias: Tensor; scale: Tensor; shift: Tensor }) {
    super();
    this.held = [
      new Parameter('weight', values.weight, 'weight'),
      new Parameter('bias', values.bias, 'bias'),
      new Parameter('scale', values.scale, 'scale'),
      new Parameter('shift', values.shift, 'shift'),
    ];
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
