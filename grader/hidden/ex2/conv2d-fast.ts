import { col2im, conv2dBackwardInputFastCpu, conv2dBackwardWeightsFastCpu, conv2dFastCpu, im2col } from '#impl/layers/conv2d-fast.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

export default hiddenCases('ex2', 'ConvFastPath', [
  {
    id: 'conv-fast-hidden-random-geometry',
    title: 'im2col, col2im and the three fast kernels on a random geometry',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => {
      const [batch, channels, out] = [intIn(rng, 1, 3), intIn(rng, 1, 3), intIn(rng, 1, 3)];
      const kernel: [number, number] = [intIn(rng, 1, 4), intIn(rng, 1, 4)];
      const stride: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
      const size: [number, number] = [intIn(rng, kernel[0], 8), intIn(rng, kernel[1], 8)];
      const same = rng.uniform() < 0.5;
      const axis = (n: number, k: number, s: number): [number, number] => (same ? [Math.ceil(n / s), Math.floor((k - 1) / 2)] : [Math.floor((n - k) / s) + 1, 0]);
      const [oh, pt] = axis(size[0], kernel[0], stride[0]);
      const [ow, pl] = axis(size[1], kernel[1], stride[1]);
      const geometry = { stride, padBefore: [pt, pl] as [number, number] };
      const x = rng.normalTensor([batch, channels, ...size]);
      const weight = rng.normalTensor([out, channels, ...kernel]);
      const gradOutput = rng.normalTensor([batch, out, oh, ow]);
      const columns = im2col(x, geometry, kernel, [oh, ow]);
      return {
        columns: tensorData(columns, 'im2col'),
        back: tensorData(col2im(rng.normalTensor(columns.shape), [batch, channels, ...size], geometry, kernel, [oh, ow]), 'col2im'),
        forward: tensorData(conv2dFastCpu(x, weight, rng.normalTensor([out]), geometry, [oh, ow]), 'conv2dFastCpu'),
        gradInput: tensorData(conv2dBackwardInputFastCpu(gradOutput, weight, geometry, size), 'conv2dBackwardInputFastCpu'),
        gradWeight: tensorData(conv2dBackwardWeightsFastCpu(x, gradOutput, geometry, kernel), 'conv2dBackwardWeightsFastCpu'),
      };
    },
  },
]);
