import { GRU } from '#impl/layers/gru.js';
import { tensor } from '../../../framework/tensor/create.js';
import { stackTimeSteps, timeStep } from '../../../framework/ops/sequence.js';
import { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { gradientData, publicCases, tensorData } from '../../case-api.js';

/** The shared inputs of tests/ex4/reference/recurrent_reference.py: X [2, 3, 2], upstream G [2, 3, 2]. */
const referenceX = () => tensor([1, -0.5, 0.25, 0.75, -1, 0.5, 0, 1, 0.5, -0.25, 0.3, 0.2], [2, 3, 2]);
const referenceG = () => tensor([1, 0, 0.5, -1, 0, 2, -0.5, 0.25, 1, 1, 0.3, -0.7], [2, 3, 2]);

/** The GRU of the NumPy reference (tests/ex4/gru.test.ts, "matches the independent NumPy reference"). */
function referenceGru(): GRU {
  const layer = new GRU({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
  layer.Wx.assign(tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3], [2, 6]));
  layer.Wh.assign(tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3], [2, 6]));
  layer.b.assign(tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2], [6]));
  layer.Why.assign(tensor([0.7, -0.4, 0.2, 0.9], [2, 2]));
  layer.by.assign(tensor([0.05, -0.1], [2]));
  return layer;
}

/** A 3 → 4 → 2 layer whose weights are drawn from `seed` (independent of the constructor's own draws). */
function seededGru(seed: number, stateful = false): GRU {
  const rng = new Rng(seed);
  const layer = new GRU({ inputSize: 3, hiddenSize: 4, outputSize: 2, rng: rng.fork(), stateful });
  for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.5));
  return layer;
}

/** x[:, start:end, :] built from the framework's time-step helpers. */
function sliceTime(x: Tensor, start: number, end: number): Tensor {
  return stackTimeSteps(Array.from({ length: end - start }, (_, k) => timeStep(x, start + k)));
}

export default publicCases('ex4', 'GRU', [
  {
    id: 'gru-forward-numpy-reference',
    title: 'forward: the NumPy reference weights on X [2, 3, 2] (gate order r, z, n; the seed\'s equations)',
    run: () => tensorData(referenceGru().forward(referenceX()), 'GRU.forward'),
  },
  {
    id: 'gru-backward-numpy-reference',
    title: 'backward through time: ∂L/∂x, every parameter gradient and ∂L/∂h₀ for the NumPy reference',
    weight: 2,
    run: () => {
      const layer = referenceGru();
      layer.forward(referenceX());
      const gradInput = tensorData(layer.backward(referenceG()), 'GRU.backward');
      return { gradInput, parameters: gradientData(layer.parameters(), 'GRU.backward'), gradInitialState: tensorData(layer.gradInitialState, 'GRU.gradInitialState') };
    },
  },
  {
    id: 'gru-initial-state-forward-backward',
    title: 'a given initialState h₀ (time 2, batch 3): outputs, gradients and ∂L/∂h₀',
    run: () => {
      const rng = new Rng(203);
      const layer = seededGru(7);
      layer.initialState = rng.normalTensor([3, 4], 0, 0.5);
      const output = tensorData(layer.forward(rng.normalTensor([3, 2, 3])), 'GRU.forward');
      const gradInput = tensorData(layer.backward(rng.normalTensor([3, 2, 2])), 'GRU.backward');
      return { output, gradInput, parameters: gradientData(layer.parameters(), 'GRU.backward'), gradInitialState: tensorData(layer.gradInitialState, 'GRU.gradInitialState') };
    },
  },
  {
    id: 'gru-stateful-two-halves',
    title: 'stateful: the two halves of a 7-step sequence give the outputs of the whole',
    run: () => {
      const x = new Rng(11).normalTensor([2, 7, 3]);
      const layer = seededGru(5, true);
      const first = tensorData(layer.forward(sliceTime(x, 0, 3)), 'GRU.forward (first half)');
      const second = tensorData(layer.forward(sliceTime(x, 3, 7)), 'GRU.forward (second half)');
      return { first, second, carried: tensorData(layer.initialState, 'GRU.initialState after the second half') };
    },
  },
  {
    id: 'gru-backward-accumulates',
    title: 'backward twice: parameter gradients add up',
    run: () => {
      const rng = new Rng(3);
      const layer = seededGru(3);
      layer.forward(rng.normalTensor([2, 4, 3]));
      const gradOutput = rng.normalTensor([2, 4, 2]);
      layer.backward(gradOutput);
      layer.backward(gradOutput);
      return gradientData(layer.parameters(), 'GRU.backward');
    },
  },
]);
