import { RNN } from '#impl/layers/rnn.js';
import { tensor } from '../../../framework/tensor/create.js';
import { stackTimeSteps, timeStep } from '../../../framework/ops/sequence.js';
import { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { gradientData, publicCases, tensorData } from '../../case-api.js';

/** The shared inputs of tests/ex4/reference/recurrent_reference.py: X [2, 3, 2], upstream G [2, 3, 2]. */
const referenceX = () => tensor([1, -0.5, 0.25, 0.75, -1, 0.5, 0, 1, 0.5, -0.25, 0.3, 0.2], [2, 3, 2]);
const referenceG = () => tensor([1, 0, 0.5, -1, 0, 2, -0.5, 0.25, 1, 1, 0.3, -0.7], [2, 3, 2]);

/** The RNN of the NumPy reference (tests/ex4/rnn.test.ts, "matches the independent NumPy reference"). */
function referenceRnn(): RNN {
  const layer = new RNN({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
  layer.Wxh.assign(tensor([0.5, -0.3, 0.8, 0.1], [2, 2]));
  layer.Whh.assign(tensor([0.9, -0.2, 0.4, 0.6], [2, 2]));
  layer.bh.assign(tensor([0.1, -0.05], [2]));
  layer.Why.assign(tensor([0.7, -0.4, 0.2, 0.9], [2, 2]));
  layer.by.assign(tensor([0.05, -0.1], [2]));
  return layer;
}

/** A 3 → 4 → 2 layer whose weights are drawn from `seed` (independent of the constructor's own draws). */
function seededRnn(seed: number, stateful = false): RNN {
  const rng = new Rng(seed);
  const layer = new RNN({ inputSize: 3, hiddenSize: 4, outputSize: 2, rng: rng.fork(), stateful });
  for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.5));
  return layer;
}

/** x[:, start:end, :] built from the framework's time-step helpers. */
function sliceTime(x: Tensor, start: number, end: number): Tensor {
  return stackTimeSteps(Array.from({ length: end - start }, (_, k) => timeStep(x, start + k)));
}

export default publicCases('ex4', 'RNN', [
  {
    id: 'rnn-forward-scalar-known-values',
    title: 'forward: the scalar RNN worked by hand in the handout (y₁, y₂)',
    run: () => {
      const layer = new RNN({ inputSize: 1, hiddenSize: 1, outputSize: 1, rng: new Rng(1) });
      layer.Wxh.assign(tensor([0.5], [1, 1]));
      layer.Whh.assign(tensor([1], [1, 1]));
      layer.bh.assign(tensor([0], [1]));
      layer.Why.assign(tensor([2], [1, 1]));
      layer.by.assign(tensor([0.1], [1]));
      return tensorData(layer.forward(tensor([1, 2], [1, 2, 1])), 'RNN.forward');
    },
  },
  {
    id: 'rnn-forward-numpy-reference',
    title: 'forward: the NumPy reference weights on X [2, 3, 2]',
    run: () => tensorData(referenceRnn().forward(referenceX()), 'RNN.forward'),
  },
  {
    id: 'rnn-backward-numpy-reference',
    title: 'backward through time: ∂L/∂x, every parameter gradient and ∂L/∂h₀ for the NumPy reference',
    weight: 2,
    run: () => {
      const layer = referenceRnn();
      layer.forward(referenceX());
      const gradInput = tensorData(layer.backward(referenceG()), 'RNN.backward');
      return { gradInput, parameters: gradientData(layer.parameters(), 'RNN.backward'), gradInitialState: tensorData(layer.gradInitialState, 'RNN.gradInitialState') };
    },
  },
  {
    id: 'rnn-initial-state-forward-backward',
    title: 'a given initialState h₀ (time 2, batch 3): outputs, gradients and ∂L/∂h₀',
    run: () => {
      const rng = new Rng(203);
      const layer = seededRnn(7);
      layer.initialState = rng.normalTensor([3, 4], 0, 0.5);
      const output = tensorData(layer.forward(rng.normalTensor([3, 2, 3])), 'RNN.forward');
      const gradInput = tensorData(layer.backward(rng.normalTensor([3, 2, 2])), 'RNN.backward');
      return { output, gradInput, parameters: gradientData(layer.parameters(), 'RNN.backward'), gradInitialState: tensorData(layer.gradInitialState, 'RNN.gradInitialState') };
    },
  },
  {
    id: 'rnn-stateful-two-halves',
    title: 'stateful: the two halves of a 7-step sequence give the outputs of the whole',
    run: () => {
      const x = new Rng(11).normalTensor([2, 7, 3]);
      const layer = seededRnn(5, true);
      const first = tensorData(layer.forward(sliceTime(x, 0, 3)), 'RNN.forward (first half)');
      const second = tensorData(layer.forward(sliceTime(x, 3, 7)), 'RNN.forward (second half)');
      return { first, second, carried: tensorData(layer.initialState, 'RNN.initialState after the second half') };
    },
  },
  {
    id: 'rnn-backward-accumulates',
    title: 'backward twice: parameter gradients add up',
    run: () => {
      const rng = new Rng(3);
      const layer = seededRnn(3);
      layer.forward(rng.normalTensor([2, 4, 3]));
      const gradOutput = rng.normalTensor([2, 4, 2]);
      layer.backward(gradOutput);
      layer.backward(gradOutput);
      return gradientData(layer.parameters(), 'RNN.backward');
    },
  },
]);
