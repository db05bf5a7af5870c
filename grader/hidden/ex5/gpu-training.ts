import { trainBlobsOnGpu } from '../../cases/ex5/gpu-training.js';
import { hiddenCases, intIn } from '../../case-api.js';

export default hiddenCases('ex5', 'GpuTraining', [
  {
    id: 'gpu-training-hidden-random',
    title: 'training on other data, sizes and widths (past a 64-wide block of the tiled matmul)',
    points: 4,
    compare: { kind: 'close', tolerance: 1e-3 },
    run: (rng) => trainBlobsOnGpu(rng.fork(), intIn(rng, 30, 150), intIn(rng, 5, 80), 10),
  },
]);
