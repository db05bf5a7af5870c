import { MaxPool } from '#impl/layers/max-pool.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray, zeros } from '../../../framework/tensor/create.js';
import { errorName, publicCases, tensorData } from '../../case-api.js';

// Seed 000 lines 2183–2200: a 4×4 feature map, 2×2 windows, stride 2 → 8, 6, 9, 3.
const featureMap = () => fromArray([[[[1, 3, 6, 2], [3, 8, 1, 1], [2, 9, 2, 1], [5, 1, 3, 1]]]]);

export default publicCases('ex2', 'MaxPool', [
  {
    id: 'max-pool-seed-000-known-values',
    title: 'pools the 4×4 map of seed 000 (lines 2183–2200) to [[8, 6], [9, 3]] and routes ∂L/∂y to the maxima only (004: 3231–3236)',
    weight: 2,
    compare: { kind: 'exact' },
    run: () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      const output = tensorData(pool.forward(featureMap()), 'MaxPool.forward');
      return { output, gradInput: tensorData(pool.backward(fromArray([[[[1, 2], [3, 4]]]])), 'MaxPool.backward') };
    },
  },
  {
    id: 'max-pool-ties-first-maximum',
    title: 'on a tie the first maximum in row-major order gets the gradient (the kit’s rule)',
    compare: { kind: 'exact' },
    run: () => {
      const pool = new MaxPool({ kernelSize: [2, 2] });
      pool.forward(fromArray([[[[5, 5], [5, 5]]]]));
      const constant = tensorData(pool.backward(fromArray([[[[1]]]])), 'MaxPool.backward');
      pool.forward(fromArray([[[[1, 7], [7, 2]]]]));
      return { constant, twoMaxima: tensorData(pool.backward(fromArray([[[[1]]]])), 'MaxPool.backward') };
    },
  },
  {
    id: 'max-pool-overlapping-windows',
    title: 'overlapping windows ([1, 3], stride 1) that share a maximum add their gradients there',
    compare: { kind: 'exact' },
    run: () => {
      const pool = new MaxPool({ kernelSize: [1, 3], stride: 1 });
      const output = tensorData(pool.forward(fromArray([[[[0, 1, 9, 2, 3]]]])), 'MaxPool.forward');
      return { output, gradInput: tensorData(pool.backward(fromArray([[[[1, 10, 100]]]])), 'MaxPool.backward') };
    },
  },
  {
    id: 'max-pool-random-windows-and-strides',
    title: 'forward and backward for 2×2 stride 2, 3×3 stride 2 (overlapping) and 2×3 stride [1, 2] on random inputs',
    weight: 3,
    run: () => {
      const rng = new Rng(11);
      const configurations: Array<[number[], number | number[] | undefined, number[]]> = [
        [[2, 2], undefined, [2, 2, 4, 6]],
        [[3, 3], 2, [2, 1, 7, 7]],
        [[2, 3], [1, 2], [1, 2, 5, 7]],
      ];
      return configurations.map(([kernelSize, stride, shape]) => {
        const pool = new MaxPool({ kernelSize, stride });
        const output = pool.forward(rng.normalTensor(shape));
        return { output: tensorData(output, 'MaxPool.forward'), gradInput: tensorData(pool.backward(rng.normalTensor(output.shape)), 'MaxPool.backward') };
      });
    },
  },
  {
    id: 'max-pool-errors',
    title: 'bad options and input are refused: a 1-D window, stride 0, a 3-D input, a window larger than the input',
    compare: { kind: 'exact' },
    run: () => {
      const output = tensorData(new MaxPool({ kernelSize: [2, 2] }).forward(zeros([1, 1, 4, 4])), 'MaxPool.forward');
      return {
        output: output.shape,
        oneDimensionalWindow: errorName(() => new MaxPool({ kernelSize: [2] })),
        zeroStride: errorName(() => new MaxPool({ kernelSize: [2, 2], stride: 0 })),
        threeDimensionalInput: errorName(() => new MaxPool({ kernelSize: [2, 2] }).forward(zeros([2, 8, 8]))),
        windowDoesNotFit: errorName(() => new MaxPool({ kernelSize: [3, 3] }).forward(zeros([1, 1, 2, 5]))),
        backwardBeforeForward: errorName(() => new MaxPool({ kernelSize: [2, 2] }).backward(zeros([1, 1, 1, 1]))),
      };
    },
  },
]);
