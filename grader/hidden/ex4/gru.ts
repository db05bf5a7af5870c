import { GRU } from '#impl/layers/gru.js';
import { stackTimeSteps, timeStep } from '../../../framework/ops/sequence.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { gradientData, hiddenCases, intIn, tensorData } from '../../case-api.js';

/** A layer of random sizes with weights drawn from the case seed (not from the constructor's draws). */
function randomRnn(rng: Rng, stateful = false): GRU {
  const layer = new GRU({ inputSize: intIn(rng, 1, 4), hiddenSize: intIn(rng, 1, 5), outputSize: intIn(rng, 1, 4), rng: rng.fork(), stateful });
  for (const parameter of layer.parameters()) parameter.assign(rng.normalTensor(parameter.value.shape, 0, 0.6));
  return layer;
}

function sliceTime(x: Tensor, start: number, end: number): Tensor {
  return stackTimeSteps(Array.from({ length: end - start }, (_, k) => timeStep(x, start + k)));
}

/** Forward and backward from a random h₀: everything the layer computes, as data. */
function forwardBackward(rng: Rng, batch: number, time: number) {
  const layer = randomRnn(rng);
  layer.initialState = rng.normalTensor([batch, layer.hiddenSize], 0, 0.5);
  const output = tensorData(layer.forward(rng.normalTensor([batch, time, layer.inputSize])), 'GRU.forward');
  const gradInput = tensorData(layer.backward(rng.normalTensor([batch, time, layer.outputSize])), 'GRU.backward');
  return { output, gradInput, parameters: gradientData(layer.parameters(), 'GRU.backward'), gradInitialState: tensorData(layer.gradInitialState, 'GRU.gradInitialState') };
}

export default hiddenCases('ex4', 'GRU', [
  {
    id: 'gru-hidden-length-one-batch-one',
    title: 'a single step of a single sequence from a given h₀: forward, backward and ∂L/∂h₀',
    points: 3,
    run: (rng) => forwardBackward(rng, 1, 1),
  },
  {
    id: 'gru-hidden-length-two-batch-three',
    title: 'two steps, batch of 3, from a given h₀: forward, backward and ∂L/∂h₀',
    points: 3,
    run: (rng) => forwardBackward(rng, 3, 2),
  },
  {
    id: 'gru-hidden-length-seven',
    title: 'seven steps on random sizes from a given h₀: forward, backward and ∂L/∂h₀',
    points: 4,
    run: (rng) => forwardBackward(rng, intIn(rng, 1, 3), 7),
  },
  {
    id: 'gru-hidden-default-zero-state',
    title: 'without initialState the first step starts from zeros',
    points: 2,
    run: (rng) => {
      const layer = randomRnn(rng);
      return tensorData(layer.forward(rng.normalTensor([intIn(rng, 1, 3), intIn(rng, 1, 5), layer.inputSize])), 'GRU.forward');
    },
  },
  {
    id: 'gru-hidden-stateful-halves',
    title: 'stateful: a random split of a random sequence gives the outputs of the whole, and truncated BPTT after it',
    points: 4,
    run: (rng) => {
      const layer = randomRnn(rng, true);
      const batch = intIn(rng, 1, 3);
      const time = intIn(rng, 2, 8);
      const split = intIn(rng, 1, time - 1);
      const x = rng.normalTensor([batch, time, layer.inputSize]);
      const first = tensorData(layer.forward(sliceTime(x, 0, split)), 'GRU.forward (first part)');
      const second = tensorData(layer.forward(sliceTime(x, split, time)), 'GRU.forward (second part)');
      const gradInput = tensorData(layer.backward(rng.normalTensor([batch, time - split, layer.outputSize])), 'GRU.backward (second part)');
      return { first, second, gradInput, parameters: gradientData(layer.parameters(), 'GRU.backward'), gradInitialState: tensorData(layer.gradInitialState, 'GRU.gradInitialState') };
    },
  },
]);
