import { ShapeError, ValueError } from '../errors.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { allocate, Tensor } from '../tensor/tensor.js';

/**
 * Helpers that move between a sequence batch [batch, time, features] and the per-step matrices
 * [batch, features] a recurrent cell works on. CPU only: they copy elements (the recurrent layers of
 * Exercise 4 run on the CPU).
 */

/** x[:, t, :] as a new matrix [batch, features]. */
export function timeStep(sequence: Tensor, t: number): Tensor {
  if (sequence.rank !== 3)
    throw new ShapeError(`timeStep expected a sequence [batch, time, features], got ${formatShape(sequence.shape)}`);
  const [batch, time, features] = sequence.shape;
  if (!Number.isInteger(t) || t < 0 || t >= time)
    throw new ValueError(`timeStep: step ${t} is out of range for a sequence of ${time} steps`);
  const source = sequence.data;
  const out = allocate(sequence.dtype, batch * features);
  for (let b = 0; b < batch; b++) {
    const from = (b * time + t) * features;
    out.set(source.subarray(from, from + features), b * features);
  }
  return new Tensor([batch, features], out);
}

/** Stacks T matrices [batch, features] along a new time axis: [batch, T, features]. */
export function stackTimeSteps(steps: readonly Tensor[]): Tensor {
  if (steps.length === 0) throw new ValueError('stackTimeSteps needs at least one step');
  const first = steps[0];
  if (first.rank !== 2)
    throw new ShapeError(`stackTimeSteps expected steps [batch, features], got ${formatShape(first.shape)}`);
  const [batch, features] = first.shape;
  const time = steps.length;
  const out = allocate(first.dtype, batch * time * features);
  steps.forEach((step, t) => {
    if (!sameShape(step.shape, first.shape)) {
      throw new ShapeError(
        `stackTimeSteps: step ${t} has shape ${formatShape(step.shape)}, step 0 has ${formatShape(first.shape)}`,
      );
    }
    const data = step.data;
    for (let b = 0; b < batch; b++) out.set(data.subarray(b * features, (b + 1) * features), (b * time + t) * features);
  });
  return new Tensor([batch, time, features], out);
}
