import { Tensor, type Layer, type Parameter } from '../../framework/index.js';

/** A SoftMax double (row-wise, max-shifted) with its Jacobian-vector backward, for loss tests. */
export class SoftMax implements Layer {
  readonly name = 'SoftMaxDouble';
  training = true;
  #y?: Tensor;

  forward(x: Tensor): Tensor {
    const classes = x.shape[1];
    const y = new Float64Array(x.size);
    const z = x.data;
    for (let r = 0; r < x.shape[0]; r++) {
      const start = r * classes;
      let top = -Infinity;
      for (let k = 0; k < classes; k++) top = Math.max(top, z[start + k]);
      let total = 0;
      for (let k = 0; k < classes; k++) {
        y[start + k] = Math.exp(z[start + k] - top);
        total += y[start + k];
      }
      for (let k = 0; k < classes; k++) y[start + k] /= total;
    }
    this.#y = new Tensor(x.shape, y);
    return this.#y;
  }

  backward(gradOutput: Tensor): Tensor {
    const y = this.#y!;
    const classes = y.shape[1];
    const dx = new Float64Array(y.size);
    const [p, dy] = [y.data, gradOutput.data];
    for (let r = 0; r < y.shape[0]; r++) {
      let dot = 0;
      for (let k = 0; k < classes; k++) dot += dy[r * classes + k] * p[r * classes + k];
      for (let k = 0; k < classes; k++) dx[r * classes + k] = p[r * classes + k] * (dy[r * classes + k] - dot);
    }
    return new Tensor(y.shape, dx);
  }

  parameters(): Parameter[] {
    return [];
  }
}
