import { Dropout } from '#impl/layers/dropout.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

/** [smallest, largest] of many values (no spread: 50 000 arguments can overflow the stack). */
function range(values: number[]): [number, number] {
  return values.reduce<[number, number]>(([low, high], v) => [Math.min(low, v), Math.max(high, v)], [Infinity, -Infinity]);
}

export default hiddenCases('ex3', 'Dropout', [
  {
    id: 'dropout-hidden-training-statistics',
    title: 'training with a random rate and seed: fraction dropped, scale of the kept units, backward with the same mask',
    points: 4,
    compare: { kind: 'close', tolerance: 0.02 },
    run: (rng) => {
      const rate = rng.uniformIn(0.1, 0.9);
      const layer = new Dropout(rate, { rng: rng.fork() });
      const input = rng.uniformTensor([250, 200], 0.5, 2);
      const y = tensorData(layer.forward(input), 'Dropout.forward');
      const gradOutput = rng.uniformTensor([250, 200], 0.5, 2);
      const gradInput = tensorData(layer.backward(gradOutput), 'Dropout.backward');
      const kept = y.data.map((v, i) => v / input.data[i]).filter((v) => v !== 0);
      const gradientKept = gradInput.data.map((v, i) => v / gradOutput.data[i]).filter((v) => v !== 0);
      return {
        shape: y.shape,
        droppedFraction: 1 - kept.length / y.data.length,
        keptScale: range(kept),
        gradientScale: range(gradientKept),
        backwardMaskDifferences: y.data.filter((v, i) => (v === 0) !== (gradInput.data[i] === 0)).length,
      };
    },
  },
  {
    id: 'dropout-hidden-eval-identity',
    title: 'eval mode after training forwards, on a random shape: forward and backward are the identity',
    points: 3,
    compare: { kind: 'exact' },
    run: (rng) => {
      const shape = [intIn(rng, 1, 6), intIn(rng, 1, 6), intIn(rng, 1, 3)];
      const layer = new Dropout(rng.uniformIn(0, 0.9), { rng: rng.fork() });
      layer.forward(rng.normalTensor(shape));
      layer.backward(rng.normalTensor(shape));
      layer.training = false;
      return { output: tensorData(layer.forward(rng.normalTensor(shape)), 'Dropout.forward'), gradInput: tensorData(layer.backward(rng.normalTensor(shape)), 'Dropout.backward') };
    },
  },
]);
