import { Dropout } from '#impl/layers/dropout.js';
import { Rng } from '../../../framework/random/rng.js';
import { full, ones } from '../../../framework/tensor/create.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

/**
 * Masks are random: a correct layer that consumes its Rng differently drops other units, so training
 * forwards are compared by what every correct mask shares (the fraction dropped, the scale of the kept
 * units, backward reusing forward's mask), never unit by unit. Evaluation is compared value by value.
 */
export default publicCases('ex3', 'Dropout', [
  {
    id: 'dropout-training-statistics',
    title: 'training: rate is the probability of dropping; kept units are scaled by 1/(1 − rate); backward uses the same mask; a new mask each forward; the same seed gives the same mask',
    weight: 3,
    compare: { kind: 'close', tolerance: 0.02 },
    run: () => {
      const droppedFraction = [0.2, 0.8].map((rate) => {
        const y = tensorData(new Dropout(rate, { rng: new Rng(7) }).forward(ones([200, 200])), 'Dropout.forward');
        return y.data.filter((v) => v === 0).length / y.data.length;
      });
      const layer = new Dropout(0.5, { rng: new Rng(3) });
      const y = tensorData(layer.forward(full([200, 200], 3)), 'Dropout.forward');
      const gradInput = tensorData(layer.backward(full([200, 200], 2)), 'Dropout.backward');
      const next = tensorData(layer.forward(full([200, 200], 3)), 'Dropout.forward');
      const again = tensorData(new Dropout(0.5, { rng: new Rng(3) }).forward(full([200, 200], 3)), 'Dropout.forward');
      return {
        droppedFraction,
        keptValues: [...new Set(y.data)].sort((a, b) => a - b),
        gradientValues: [...new Set(gradInput.data)].sort((a, b) => a - b),
        backwardMaskDifferences: y.data.filter((v, i) => (v === 0) !== (gradInput.data[i] === 0)).length,
        changedByNextForward: next.data.filter((v, i) => v !== y.data[i]).length / y.data.length,
        sameSeedDifferences: again.data.filter((v, i) => v !== y.data[i]).length,
      };
    },
  },
  {
    id: 'dropout-eval-identity',
    title: 'in eval mode (after training forwards) forward and backward are the identity',
    weight: 2,
    compare: { kind: 'exact' },
    run: () => {
      const rng = new Rng(2);
      const layer = new Dropout(0.4, { rng: new Rng(5) });
      const x = rng.normalTensor([3, 5]);
      layer.backward(layer.forward(x));
      layer.training = false;
      return { output: tensorData(layer.forward(x), 'Dropout.forward'), gradInput: tensorData(layer.backward(rng.normalTensor([3, 5])), 'Dropout.backward') };
    },
  },
  {
    id: 'dropout-rate-zero-and-frozen-mask',
    title: 'rate 0 keeps everything in training; freezeMask = true reuses the last mask',
    compare: { kind: 'exact' },
    run: () => {
      const x = new Rng(2).normalTensor([3, 4]);
      const layer = new Dropout(0.5, { rng: new Rng(1) });
      layer.freezeMask = true;
      const first = tensorData(layer.forward(x), 'Dropout.forward');
      const second = tensorData(layer.forward(x), 'Dropout.forward');
      return { rateZero: tensorData(new Dropout(0, { rng: new Rng(1) }).forward(x), 'Dropout.forward'), frozenDifferences: first.data.filter((v, i) => v !== second.data[i]).length };
    },
  },
  {
    id: 'dropout-errors',
    title: 'a rate outside [0, 1) is refused with a ValueError, backward before forward with a StateError, a gradient of another shape with a ShapeError',
    compare: { kind: 'exact' },
    run: () => {
      const layer = new Dropout(0.5, { rng: new Rng(1) });
      const output = tensorData(layer.forward(ones([2, 3])), 'Dropout.forward');
      return {
        output: output.shape,
        rateOne: errorName(() => new Dropout(1)),
        negativeRate: errorName(() => new Dropout(-0.1)),
        backwardBeforeForward: errorName(() => new Dropout(0.5).backward(ones([1, 1]))),
        wrongGradient: errorName(() => layer.backward(ones([3, 2]))),
      };
    },
  },
]);
