import { tensor, type Tensor } from '../../framework/index.js';

/** x[:, start:end, :] as a new tensor (a test's way to cut a sequence into parts). */
export function sliceTime(x: Tensor, start: number, end: number): Tensor {
  const [batch, time, features] = x.shape;
  const out = new Float64Array(batch * (end - start) * features);
  for (let b = 0; b < batch; b++)
    out.set(x.data.subarray((b * time + start) * features, (b * time + end) * features), b * (end - start) * features);
  return tensor(out, [batch, end - start, features]);
}

/** The shared known-value inputs of tests/ex4/reference/recurrent_reference.py: X [2, 3, 2] and upstream G [2, 3, 2]. */
export const REFERENCE_X = tensor([1, -0.5, 0.25, 0.75, -1, 0.5, 0, 1, 0.5, -0.25, 0.3, 0.2], [2, 3, 2]);
export const REFERENCE_G = tensor([1, 0, 0.5, -1, 0, 2, -0.5, 0.25, 1, 1, 0.3, -0.7], [2, 3, 2]);
/** Why and by of the reference script (all three layers share them). */
export const REFERENCE_WHY = tensor([0.7, -0.4, 0.2, 0.9], [2, 2]);
export const REFERENCE_BY = tensor([0.05, -0.1], [2]);
