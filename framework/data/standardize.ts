import { Tensor } from '../tensor/tensor.js';

/**
 * Per-feature standardisation fitted on training data: x' = (x − μ) / σ, with μ and σ of each
 * column of `fitOn` (σ of a constant column is taken as 1). Apply the same transform to test data.
 */
export function standardizer(fitOn: Tensor): (x: Tensor) => Tensor {
  const [n, features] = [fitOn.shape[0], fitOn.size / fitOn.shape[0]];
  const mean = new Float64Array(features);
  const std = new Float64Array(features);
  const X = fitOn.data;
  for (let i = 0; i < n; i++) for (let f = 0; f < features; f++) mean[f] += X[i * features + f] / n;
  for (let i = 0; i < n; i++) for (let f = 0; f < features; f++) std[f] += (X[i * features + f] - mean[f]) ** 2 / n;
  for (let f = 0; f < features; f++) std[f] = Math.sqrt(std[f]) || 1;
  return (x: Tensor) => {
    const out = new Float64Array(x.size);
    const data = x.data;
    for (let i = 0; i < data.length; i++) out[i] = (data[i] - mean[i % features]) / std[i % features];
    return new Tensor(x.shape, out);
  };
}
