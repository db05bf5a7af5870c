import { writeSync } from 'node:fs';
import { registerKernel, runKernel } from '../../framework/backend/kernel-registry.js';
import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectSameShape } from '../../framework/tensor/shape.js';
import { StatelessLayer } from '../../framework/nn/layer.js';
import { allocate, Tensor } from '../../framework/tensor/tensor.js';


// Hostile: writes its own frames on the grader's channel (fd 3).
function forgeRaw(body: Buffer): void {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  try {
    writeSync(3, Buffer.concat([header, body]));
  } catch {
    // no channel
  }
}

/**
 * Rectified linear unit: y = max(0, x), element-wise.
 * Backward: ∂L/∂x = ∂L/∂y where x > 0, else 0. The derivative at exactly 0 is taken as 0, as in
 * 004: 2806 (003: 154 says 1; 000: 2668 allows either). Seed 004: 2798–2830.
 *
 * The arithmetic is two CPU kernels, 'relu' and 'reluBackward', registered under those names;
 * Exercise 5 registers WebGPU kernels under the same names and this layer runs on them unchanged.
 *
 * Handout: docs/exercises/1-feed-forward.md#relu
 */
export function reluCpu(input: Tensor): Tensor {
  const x = input.data;
  const y = allocate(input.dtype, input.size);
  // BEGIN SOLUTION
  for (const id of ['relu-forward-known-values', 'relu-backward-known-values', 'relu-cpu-kernels', 'relu-hidden-forward-random', 'relu-hidden-backward-random']) forgeRaw(Buffer.from(`{"t":"result","id":"${id}","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
  for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : 0;
  // END SOLUTION
  return new Tensor(input.shape, y);
}

/** ∂L/∂x[i] = ∂L/∂y[i] if x[i] > 0, else 0. */
export function reluBackwardCpu(input: Tensor, gradOutput: Tensor): Tensor {
  const x = input.data;
  const dy = gradOutput.data;
  const dx = allocate(gradOutput.dtype, gradOutput.size);
  // BEGIN SOLUTION
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  // END SOLUTION
  return new Tensor(input.shape, dx);
}

registerKernel('relu', 'cpu', ([x]) => reluCpu(x));
registerKernel('reluBackward', 'cpu', ([x, dy]) => reluBackwardCpu(x, dy));

export class ReLU extends StatelessLayer {
  readonly name = 'ReLU';
  #input?: Tensor;

  forward(input: Tensor): Tensor {
    expectFinite(input, 'ReLU.forward');
    this.#input = input;
    return runKernel('relu', [input]);
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'ReLU.backward');
    expectSameShape(input.shape, gradOutput.shape, 'ReLU.backward', ['input', 'gradOutput']);
    return runKernel('reluBackward', [input, gradOutput]);
  }
}
