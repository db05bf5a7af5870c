import '../../../framework/webgpu/index.js';
import '#impl/kernels/conv2d.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import { Rng } from '../../../framework/random/rng.js';
import { fromArray, tensor } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { publicCases, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');
const TOLERANCE = 1e-4;

export interface ConvGeometry {
  x: number[];
  kernel: [number, number];
  outChannels: number;
  stride: [number, number];
  padding: 'same' | 'valid';
}

/** Output size and padding before, as DESIGN §3 fixes them (Exercise 2's convAxisGeometry). */
function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { out: number; before: number } {
  return padding === 'valid' ? { out: Math.floor((n - k) / s) + 1, before: 0 } : { out: Math.ceil(n / s), before: Math.floor((k - 1) / 2) };
}

async function conv(x: Tensor, weight: Tensor, bias: Tensor, stride: [number, number], padding: 'same' | 'valid') {
  const rows = axis(x.shape[2], weight.shape[2], stride[0], padding);
  const columns = axis(x.shape[3], weight.shape[3], stride[1], padding);
  const attributes = { stride, padBefore: [rows.before, columns.before], outShape: [rows.out, columns.out] };
  const y = runKernel('conv2d', [await x.to('webgpu'), await weight.to('webgpu'), await bias.to('webgpu')], attributes);
  return tensorData(await y.to('cpu'), "the 'conv2d' WebGPU kernel");
}

async function randomConv(rng: Rng, { x, kernel, outChannels, stride, padding }: ConvGeometry) {
  return conv(random(rng, x), random(rng, [outChannels, x[1], ...kernel]), random(rng, [outChannels]), stride, padding);
}

export default publicCases('ex5', 'Conv2dKernel', [
  {
    id: 'conv2d-kernel-known-values',
    title: 'the Sobel x-filter on a step image, and a 1×1 kernel of weight 2 and bias 1',
    compare: { kind: 'exact' },
    run: async () => {
      const image = fromArray([[0, 0, 1, 1, 1], [0, 0, 1, 1, 1], [0, 0, 1, 1, 1], [0, 0, 1, 1, 1]]).reshape([1, 1, 4, 5]);
      const sobel = fromArray([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).reshape([1, 1, 3, 3]);
      return {
        sobel: await conv(image, sobel, tensor([0], [1]), [1, 1], 'valid'),
        pointwise: await conv(fromArray([[1, 2], [3, 4]]).reshape([1, 1, 2, 2]), tensor([2], [1, 1, 1, 1]), tensor([1], [1]), [1, 1], 'same'),
      };
    },
  },
  {
    id: 'conv2d-kernel-geometries',
    title: "images below, at and past the 8×8 workgroup; 'same' and 'valid'; strides; even kernels; a 1-D signal",
    weight: 3,
    compare: { kind: 'close', tolerance: TOLERANCE },
    run: async () => {
      const rng = new Rng(41);
      const geometries: ConvGeometry[] = [
        { x: [1, 1, 5, 5], kernel: [3, 3], outChannels: 1, stride: [1, 1], padding: 'same' },
        { x: [2, 3, 8, 8], kernel: [3, 3], outChannels: 4, stride: [1, 1], padding: 'same' },
        { x: [2, 2, 9, 7], kernel: [3, 3], outChannels: 3, stride: [1, 1], padding: 'valid' },
        { x: [1, 3, 17, 16], kernel: [5, 4], outChannels: 2, stride: [2, 3], padding: 'same' },
        { x: [3, 1, 8, 8], kernel: [2, 2], outChannels: 5, stride: [2, 2], padding: 'valid' },
        { x: [2, 4, 1, 30], kernel: [1, 3], outChannels: 3, stride: [1, 2], padding: 'same' },
      ];
      const out: Record<string, unknown> = {};
      for (const [index, geometry] of geometries.entries()) out[`geometry${index}`] = await randomConv(rng, geometry);
      return out;
    },
  },
]);
