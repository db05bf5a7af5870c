import { col2im, conv2dBackwardInputFastCpu, conv2dBackwardWeightsFastCpu, conv2dFastCpu, im2col } from '#impl/layers/conv2d-fast.js';
import { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import { publicCases, tensorData } from '../../case-api.js';

/** The geometry the kernels receive: 'same' pads ⌊(k − 1)/2⌋ before and keeps ⌈n/s⌉, 'valid' keeps ⌊(n − k)/s⌋ + 1. */
function geometryOf(size: [number, number], kernel: [number, number], stride: [number, number], padding: 'same' | 'valid') {
  const axis = (n: number, k: number, s: number): [number, number] => (padding === 'same' ? [Math.ceil(n / s), Math.floor((k - 1) / 2)] : [Math.floor((n - k) / s) + 1, 0]);
  const [oh, pt] = axis(size[0], kernel[0], stride[0]);
  const [ow, pl] = axis(size[1], kernel[1], stride[1]);
  return { stride, padBefore: [pt, pl] as [number, number], outShape: [oh, ow] as [number, number] };
}

export default publicCases('ex2', 'ConvFastPath', [
  {
    id: 'conv-fast-im2col-known-values',
    title: 'im2col of a 1×1×3×3 input with a 2×2 valid window lists the four windows as columns',
    compare: { kind: 'exact' },
    run: () => tensorData(im2col(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]), { stride: [1, 1], padBefore: [0, 0] }, [2, 2], [2, 2]), 'im2col'),
  },
  {
    id: 'conv-fast-kernels-random-geometries',
    title: 'forward, ∂L/∂input and ∂L/∂weight of the fast kernels on strided, padded and even-kernel geometries',
    weight: 2,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: () => {
      const rng = new Rng(9);
      const cases: Array<{ input: [number, number, number, number]; out: number; kernel: [number, number]; stride: [number, number]; padding: 'same' | 'valid' }> = [
        { input: [2, 2, 5, 6], out: 3, kernel: [3, 2], stride: [2, 1], padding: 'same' },
        { input: [1, 3, 7, 5], out: 2, kernel: [4, 4], stride: [2, 3], padding: 'valid' },
        { input: [2, 1, 4, 4], out: 2, kernel: [1, 1], stride: [1, 1], padding: 'same' },
      ];
      return cases.map(({ input, out, kernel, stride, padding }) => {
        const geometry = geometryOf([input[2], input[3]], kernel, stride, padding);
        const x = rng.normalTensor(input);
        const weight = rng.normalTensor([out, input[1], ...kernel]);
        const gradOutput = rng.normalTensor([input[0], out, ...geometry.outShape]);
        return {
          forward: tensorData(conv2dFastCpu(x, weight, rng.normalTensor([out]), geometry, geometry.outShape), 'conv2dFastCpu'),
          gradInput: tensorData(conv2dBackwardInputFastCpu(gradOutput, weight, geometry, [input[2], input[3]]), 'conv2dBackwardInputFastCpu'),
          gradWeight: tensorData(conv2dBackwardWeightsFastCpu(x, gradOutput, geometry, kernel), 'conv2dBackwardWeightsFastCpu'),
        };
      });
    },
  },
  {
    id: 'conv-fast-col2im',
    title: 'col2im adds every entry of a column matrix back where im2col read it (3×3 same padding, stride 2)',
    compare: { kind: 'close', tolerance: 1e-12 },
    run: () => {
      const geometry = geometryOf([5, 4], [3, 3], [2, 2], 'same');
      const columns = new Rng(4).normalTensor([2 * 9, 2 * geometry.outShape[0] * geometry.outShape[1]]);
      return tensorData(col2im(columns, [2, 2, 5, 4], geometry, [3, 3], geometry.outShape), 'col2im');
    },
  },
]);
