import '../../../framework/webgpu/index.js';
import '#impl/kernels/softmax-kernel.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import type { Rng } from '../../../framework/random/rng.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

const random = (rng: Rng, shape: number[], scale: number): Tensor => rng.uniformTensor(shape, -scale, scale).asType('float32').asType('float64');

async function softmaxOnGpu(x: Tensor) {
  return tensorData(await runKernel('softmax', [await x.to('webgpu')]).to('cpu'), "the 'softmax' WebGPU kernel");
}

export default hiddenCases('ex5', 'SoftmaxKernel', [
  {
    id: 'softmax-kernel-hidden-random-shapes',
    title: 'random rows and classes, from a handful to past several workgroups of classes',
    points: 4,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: async (rng) => ({
      few: await softmaxOnGpu(random(rng, [intIn(rng, 1, 50), intIn(rng, 2, 20)], 4)),
      wide: await softmaxOnGpu(random(rng, [intIn(rng, 1, 4), intIn(rng, 257, 1500)], 4)),
      ranked: await softmaxOnGpu(random(rng, [intIn(rng, 1, 3), intIn(rng, 1, 4), intIn(rng, 30, 130)], 4)),
    }),
  },
  {
    id: 'softmax-kernel-hidden-large-logits',
    title: 'logits up to ±500 stay finite (the row maximum is subtracted)',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-4 },
    run: (rng) => softmaxOnGpu(random(rng, [intIn(rng, 2, 8), intIn(rng, 3, 100)], 500)),
  },
]);
