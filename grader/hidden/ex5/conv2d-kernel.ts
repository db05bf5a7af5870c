import '../../../framework/webgpu/index.js';
import '#impl/kernels/conv2d.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -1, 1).asType('float32').asType('float64');

/** Output size and padding before, as DESIGN §3 fixes them (Exercise 2's convAxisGeometry). */
function axis(n: number, k: number, s: number, padding: 'same' | 'valid'): { out: number; before: number } {
  return padding === 'valid' ? { out: Math.floor((n - k) / s) + 1, before: 0 } : { out: Math.ceil(n / s), before: Math.floor((k - 1) / 2) };
}

/** A convolution of random geometry (a kernel that fits the image, so 'valid' has an output). */
async function randomConv(rng: Rng, padding: 'same' | 'valid') {
  const [batch, inChannels, outChannels] = [intIn(rng, 1, 3), intIn(rng, 1, 4), intIn(rng, 1, 5)];
  const [height, width] = [intIn(rng, 1, 20), intIn(rng, 1, 20)];
  const kernel = [intIn(rng, 1, Math.min(5, height)), intIn(rng, 1, Math.min(5, width))];
  const stride = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
  const rows = axis(height, kernel[0], stride[0], padding);
  const columns = axis(width, kernel[1], stride[1], padding);
  const x = await random(rng, [batch, inChannels, height, width]).to('webgpu');
  const weight = await random(rng, [outChannels, inChannels, kernel[0], kernel[1]]).to('webgpu');
  const bias = await random(rng, [outChannels]).to('webgpu');
  const y = runKernel('conv2d', [x, weight, bias], { stride, padBefore: [rows.before, columns.before], outShape: [rows.out, columns.out] });
  return tensorData(await y.to('cpu'), "the 'conv2d' WebGPU kernel");
}

export default hiddenCases('ex5', 'Conv2dKernel', [
  {
    id: 'conv2d-kernel-hidden-random-same',
    title: "two random geometries with 'same' padding",
    points: 4,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: async (rng) => [await randomConv(rng, 'same'), await randomConv(rng, 'same')],
  },
  {
    id: 'conv2d-kernel-hidden-random-valid',
    title: "two random geometries with 'valid' padding",
    points: 3,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: async (rng) => [await randomConv(rng, 'valid'), await randomConv(rng, 'valid')],
  },
]);
