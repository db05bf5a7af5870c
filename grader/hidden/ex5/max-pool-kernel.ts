import '../../../framework/webgpu/index.js';
import '#impl/kernels/max-pool2d.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[]): Tensor => rng.uniformTensor(shape, -3, 3).asType('float32').asType('float64');

/** Max pooling of a random geometry whose window fits the image. */
async function randomPool(rng: Rng, shape: number[]) {
  const kernel: [number, number] = [intIn(rng, 1, Math.min(4, shape[2])), intIn(rng, 1, Math.min(4, shape[3]))];
  const stride: [number, number] = [intIn(rng, 1, 3), intIn(rng, 1, 3)];
  return tensorData(await runKernel('maxPool2d', [await random(rng, shape).to('webgpu')], { kernel, stride }).to('cpu'), "the 'maxPool2d' WebGPU kernel");
}

export default hiddenCases('ex5', 'MaxPoolKernel', [
  {
    id: 'max-pool-kernel-hidden-random',
    title: 'two random geometries: windows, strides and ragged borders',
    points: 3,
    compare: { kind: 'exact' },
    run: async (rng) => {
      const shape = () => [intIn(rng, 1, 3), intIn(rng, 1, 6), intIn(rng, 1, 24), intIn(rng, 1, 24)];
      return [await randomPool(rng, shape()), await randomPool(rng, shape())];
    },
  },
  {
    id: 'max-pool-kernel-hidden-many-outputs',
    title: 'several workgroups of outputs with 2×2 windows',
    points: 2,
    compare: { kind: 'exact' },
    run: (rng) => randomPool(rng, [intIn(rng, 2, 4), intIn(rng, 8, 16), 2 * intIn(rng, 8, 16), 2 * intIn(rng, 8, 16)]),
  },
]);
