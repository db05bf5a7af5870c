import '../../../framework/webgpu/index.js';
import '#impl/kernels/relu-kernels.js';
import { runKernel } from '../../../framework/backend/kernel-registry.js';
import type { Rng } from '../../../framework/random/rng.js';
import { tensor } from '../../../framework/tensor/create.js';
import type { Tensor } from '../../../framework/tensor/tensor.js';
import { hiddenCases, intIn, tensorData } from '../../case-api.js';

/** Multiples of ½ in [−2, 2]: about one value in nine is exactly 0, where relu' is 0. */
const random = (rng: Rng, shape: number[]): Tensor => {
  const values = rng.uniformTensor(shape, -2.25, 2.25);
  return tensor(Array.from(values.data, (v) => Math.round(2 * v) / 2), shape);
};

async function onGpu(rng: Rng, shape: number[]) {
  const [x, dy] = [await random(rng, shape).to('webgpu'), await random(rng, shape).to('webgpu')];
  return {
    forward: tensorData(await runKernel('relu', [x]).to('cpu'), "the 'relu' WebGPU kernel"),
    backward: tensorData(await runKernel('reluBackward', [x, dy]).to('cpu'), "the 'reluBackward' WebGPU kernel"),
  };
}

export default hiddenCases('ex5', 'ElementwiseKernels', [
  {
    id: 'elementwise-hidden-random-lengths',
    title: 'relu and reluBackward on random lengths, one of them a multiple of the workgroup',
    points: 3,
    compare: { kind: 'exact' },
    run: async (rng) => ({
      multiple: await onGpu(rng, [256 * intIn(rng, 2, 12)]),
      ragged: await onGpu(rng, [intIn(rng, 1, 6000)]),
      small: await onGpu(rng, [intIn(rng, 1, 40)]),
    }),
  },
  {
    id: 'elementwise-hidden-random-shapes',
    title: 'relu and reluBackward on random 2-D to 4-D shapes',
    points: 2,
    compare: { kind: 'exact' },
    run: async (rng) => {
      const out: unknown[] = [];
      for (let rank = 2; rank <= 4; rank++) out.push(await onGpu(rng, Array.from({ length: rank }, () => intIn(rng, 1, 9))));
      return out;
    },
  },
]);
