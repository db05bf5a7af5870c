import { registerKernel, runKernel } from '../../framework/backend/kernel-registry.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';

/**
 * Logistic sigmoid: y = σ(x) = 1 / (1 + e^(−x)), element-wise, in ]0, 1[.
 * Backward: ∂L/∂x = ∂L/∂y · y·(1 − y), from the output that forward kept (σ' = σ(1 − σ)).
 * Seed 004: 2712–2717 (also 1725–1727), 000: 511, 003: 130–132. The largest derivative is 0.25 at
 * x = 0 (003: 291 says 0.2; that is a seed error).
 *
 * For x < 0 the kernel computes e^x / (1 + e^x), the same value, so that e^(−x) never overflows.
 * The arithmetic is two CPU kernels, 'sigmoid' and 'sigmoidBackward' (the ReLU pattern), so
 * Exercise 5 can register WebGPU kernels under the same names.
 *
 * Handout: docs/exercises/3-regularization.md#sigmoid
 */
export function sigmoidCpu(input: Tensor): Tensor {
  const x = input.data;
  const y = allocate(input.dtype, input.size);
  // BEGIN SOLUTION
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= 0) {
      y[i] = 1 / (1 + Math.exp(-x[i]));
    } else {
      const e = Math.exp(x[i]);
      y[i] = e / (1 + e);
    }
  }
  // END SOLUTION
  return new Tensor(input.shape, y);
}

/** ∂L/∂x[i] = ∂L/∂y[i] · y[i]·(1 − y[i]), with y the sigmoid's output. */
export function sigmoidBackwardCpu(output: Tensor, gradOutput: Tensor): Tensor {
  const y = output.data;
  const dy = gradOutput.data;
  const dx = allocate(gradOutput.dtype, gradOutput.size);
  // BEGIN SOLUTION
  for (let i = 0; i < y.length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
  // END SOLUTION
  return new Tensor(output.shape, dx);
}

registerKernel('sigmoid', 'cpu', ([x]) => sigmoidCpu(x));
registerKernel('sigmoidBackward', 'cpu', ([y, dy]) => sigmoidBackwardCpu(y, dy));

export class Sigmoid extends StatelessLayer {
  readonly name = 'Sigmoid';
  #output?: Tensor;

  forward(input: Tensor): Tensor {
    expectFinite(input, 'Sigmoid.forward');
    this.#output = runKernel('sigmoid', [input]);
    return this.#output;
  }

  backward(gradOutput: Tensor): Tensor {
    const output = cached(this.#output, 'Sigmoid.backward');
    expectSameShape(output.shape, gradOutput.shape, 'Sigmoid.backward', ['output', 'gradOutput']);
    return runKernel('sigmoidBackward', [output, gradOutput]);
  }
}
