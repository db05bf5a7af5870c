import { LSTM } from '#impl/layers/lstm.js';
import { tensor, zeros } from '../../../framework/tensor/create.js';
import { stackTimeSteps, timeStep } from '../../../framework/ops/sequence.js';
import { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { gradientData, publicCases, tensorData } from '../../case-api.js';

/** The shared inputs of tests/ex4/reference/recurrent_reference.py: X [2, 3, 2], upstream G [2, 3, 2]. */
const referenceX = () => tensor([1, -0.5, 0.25, 0.75, -1, 0.5, 0, 1, 0.5, -0.25, 0.3, 0.2], [2, 3, 2]);
const referenceG = () => tensor([1, 0, 0.5, -1, 0, 2, -0.5, 0.25, 1, 1, 0.3, -0.7], [2, 3, 2]);

/** The LSTM of the NumPy reference (tests/ex4/lstm.test.ts, "matches the independent NumPy reference"). */
function referenceLstm(): LSTM {
  const layer = new LSTM({ inputSize: 2, hiddenSize: 2, outputSize: 2, rng: new Rng(1) });
  layer.Wx.assign(tensor([0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.2, -0.1, 0.3, 0.1, -0.4, 0.2, 0.5, -0.3, 0.1, 0.7], [2, 8]));
  layer.Wh.assign(tensor([0.2, 0.1, -0.1, 0.3, 0.4, -0.2, 0.5, 0.1, -0.3, 0.2, 0.6, -0.1, 0.1, 0.3, -0.4, 0.2], [2, 8]));
  layer.b.assign(tensor([0.1, 0.0, 1.0, 0.5, -0.1, 0.2, 0.0, -0.2], [8]));
  layer.Why.assign(tensor([0.7, -0.4, 0.2, 0.9], [2, 2]));
  layer.by.assign(tensor([0.05, -0.1], [2]));
  return layer;
}

/** A 3 → 4 → 2 layer whose weights are drawn from `seed` (independent of the constructor's own draws). */
function seededLstm(seed: number, stateful = false): LSTM {
  const rng = new Rng(seed);
  const layer = new LSTM({ inputSize: 3, hiddenSize: 4, outputSize: 2, rng: rng.fork(), stateful });
  for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.5));
  return layer;
}

/** x[:, start:end, :] built from the framework's time-step helpers. */
function sliceTime(x: Tensor, start: number, end: number): Tensor {
  return stackTimeSteps(Array.from({ length: end - start }, (_, k) => timeStep(x, start + k)));
}

export default publicCases('ex4', 'LSTM', [
  {
    id: 'lstm-forward-scalar-known-values',
    title: 'one scalar step worked by hand in the handout: y₁ and the carried cell c₁',
    run: () => {
      const layer = new LSTM({ inputSize: 1, hiddenSize: 1, outputSize: 1, rng: new Rng(1), stateful: true });
      layer.Wx.assign(tensor([1, 2, 0.5, -1], [1, 4]));
      layer.Wh.assign(zeros([1, 4]));
      layer.b.assign(zeros([4]));
      layer.Why.assign(tensor([1], [1, 1]));
      layer.by.assign(zeros([1]));
      const output = tensorData(layer.forward(tensor([1], [1, 1, 1])), 'LSTM.forward');
      return { output, cell: tensorData(layer.initialCell, 'LSTM.initialCell after forward'), hidden: tensorData(layer.initialState, 'LSTM.initialState after forward') };
    },
  },
  {
    id: 'lstm-forward-numpy-reference',
    title: 'forward: the NumPy reference weights on X [2, 3, 2] (gate order i, f, g, o)',
    run: () => tensorData(referenceLstm().forward(referenceX()), 'LSTM.forward'),
  },
  {
    id: 'lstm-backward-numpy-reference',
    title: 'backward through time: ∂L/∂x, every parameter gradient, ∂L/∂h₀ and ∂L/∂c₀ for the NumPy reference',
    weight: 2,
    run: () => {
      const layer = referenceLstm();
      layer.forward(referenceX());
      const gradInput = tensorData(layer.backward(referenceG()), 'LSTM.backward');
      return {
        gradInput,
        parameters: gradientData(layer.parameters(), 'LSTM.backward'),
        gradInitialState: tensorData(layer.gradInitialState, 'LSTM.gradInitialState'),
        gradInitialCell: tensorData(layer.gradInitialCell, 'LSTM.gradInitialCell'),
      };
    },
  },
  {
    id: 'lstm-initial-state-forward-backward',
    title: 'a given initialState h₀ and initialCell c₀ (time 2, batch 3): outputs, gradients, ∂L/∂h₀ and ∂L/∂c₀',
    run: () => {
      const rng = new Rng(203);
      const layer = seededLstm(7);
      layer.initialState = rng.normalTensor([3, 4], 0, 0.5);
      layer.initialCell = rng.normalTensor([3, 4], 0, 0.5);
      const output = tensorData(layer.forward(rng.normalTensor([3, 2, 3])), 'LSTM.forward');
      const gradInput = tensorData(layer.backward(rng.normalTensor([3, 2, 2])), 'LSTM.backward');
      return {
        output,
        gradInput,
        parameters: gradientData(layer.parameters(), 'LSTM.backward'),
        gradInitialState: tensorData(layer.gradInitialState, 'LSTM.gradInitialState'),
        gradInitialCell: tensorData(layer.gradInitialCell, 'LSTM.gradInitialCell'),
      };
    },
  },
  {
    id: 'lstm-stateful-two-halves',
    title: 'stateful: the two halves of a 7-step sequence give the outputs of the whole (h and c carried)',
    run: () => {
      const x = new Rng(11).normalTensor([2, 7, 3]);
      const layer = seededLstm(5, true);
      const first = tensorData(layer.forward(sliceTime(x, 0, 3)), 'LSTM.forward (first half)');
      const second = tensorData(layer.forward(sliceTime(x, 3, 7)), 'LSTM.forward (second half)');
      return { first, second, hidden: tensorData(layer.initialState, 'LSTM.initialState'), cell: tensorData(layer.initialCell, 'LSTM.initialCell') };
    },
  },
  {
    id: 'lstm-backward-accumulates',
    title: 'backward twice: parameter gradients add up',
    run: () => {
      const rng = new Rng(3);
      const layer = seededLstm(3);
      layer.forward(rng.normalTensor([2, 4, 3]));
      const gradOutput = rng.normalTensor([2, 4, 2]);
      layer.backward(gradOutput);
      layer.backward(gradOutput);
      return gradientData(layer.parameters(), 'LSTM.backward');
    },
  },
]);
