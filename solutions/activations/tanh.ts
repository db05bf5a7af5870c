import { registerKernel, runKernel } from '../../framework/backend/kernel-registry.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Hyperbolic tangent: y = tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)), element-wise, in ]−1, 1[.
 * Backward: ∂L/∂x = ∂L/∂y · (1 − y²), from the output that forward kept.
 * Seed 004: 2734–2751 (f' = 1 − f², 2742; tanh(x) = 2σ(2x) − 1, 2746), 003: 142–144.
 *
 * The arithmetic is two CPU kernels, 'tanhActivation' and 'tanhBackward' (the ReLU pattern; the
 * framework's own element-wise op already owns the name 'tanh'), so Exercise 5 can register
 * WebGPU kernels under the same names.
 *
 * Handout: docs/exercises/3-regularization.md#tanh
 */
export function tanhCpu(input: Tensor): Tensor {
  const x = input.data;
  const y = allocate(input.dtype, input.size);
  // BEGIN SOLUTION
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
  // END SOLUTION
  return new Tensor(input.shape, y);
}

/** ∂L/∂x[i] = ∂L/∂y[i] · (1 − y[i]²), with y the tanh's output. */
export function tanhBackwardCpu(output: Tensor, gradOutput: Tensor): Tensor {
  const y = output.data;
  const dy = gradOutput.data;
  const dx = allocate(gradOutput.dtype, gradOutput.size);
  // BEGIN SOLUTION
  for (let i = 0; i < y.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
  // END SOLUTION
  return new Tensor(output.shape, dx);
}

registerKernel('tanhActivation', 'cpu', ([x]) => tanhCpu(x));
registerKernel('tanhBackward', 'cpu', ([y, dy]) => tanhBackwardCpu(y, dy));

export class TanH extends StatelessLayer {
  readonly name = 'TanH';
  #output?: Tensor;

  forward(input: Tensor): Tensor {
    expectFinite(input, 'TanH.forward');
    this.#output = runKernel('tanhActivation', [input]);
    return this.#output;
  }

  backward(gradOutput: Tensor): Tensor {
    const output = cached(this.#output, 'TanH.backward');
    expectSameShape(output.shape, gradOutput.shape, 'TanH.backward', ['output', 'gradOutput']);
    return runKernel('tanhBackward', [output, gradOutput]);
  }
}
