import { Tensor, type Layer, type Parameter } from '../../framework/index.js';

/** A SoftMax double (row-wise, max-shifted) with its Jacobian-vector backward, for loss tests. */
export class SoftMax implements Layer {
  readonly name = 'SoftMaxDouble';
  training = true;
  #y?: Tensor;

  forward(x: Tensor): Tensor {
    const classes = x.shape[1];
    const y = new Float64Array(x.size);
    for (let r = 0; r < x.shape[0]; r++) {
      const row = Array.from(x.data.subarray(r * classes, (r + 1) * classes));
      const top = Math.max(...row);
      const exps = row.map((v) => Math.exp(v - top));
      const total = exps.reduce((a, b) => a + b, 0);
      exps.forEach((e, k) => (y[r * classes + k] = e / total));
    }
    this.#y = new Tensor(x.shape, y);
    return this.#y;
  }

  backward(gradOutput: Tensor): Tensor {
    const y = this.#y!;
    const classes = y.shape[1];
    const dx = new Float64Array(y.size);
    for (let r = 0; r < y.shape[0]; r++) {
      let dot = 0;
      for (let k = 0; k < classes; k++) dot += gradOutput.data[r * classes + k] * y.data[r * classes + k];
      for (let k = 0; k < classes; k++) dx[r * classes + k] = y.data[r * classes + k] * (gradOutput.data[r * classes + k] - dot);
    }
    return new Tensor(y.shape, dx);
  }

  parameters(): Parameter[] {
    return [];
  }
}
