import { UniformRandom } from '#impl/initializers/uniform-random.js';
import { Rng } from '../../../framework/random/rng.js';
import { publicCases, sampleStatistics, tensorData } from '../../case-api.js';

/**
 * Random draws are compared by their statistics (case-api.ts, `sampleStatistics`), not value by value:
 * U[0, 1) has mean 1/2, variance 1/12, kurtosis 1.8, and its minimum and maximum lie near 0 and 1.
 */
export default publicCases('ex2', 'UniformRandom', [
  {
    id: 'uniform-random-statistics',
    title: 'draws from U[0, 1): mean 1/2, variance 1/12, range [0, 1) (50 000 values, fixed seed)',
    compare: { kind: 'close', tolerance: 0.02 },
    run: () => {
      const draw = new UniformRandom().initialize([200, 250], 5, 5, new Rng(99));
      return { shape: tensorData(draw, 'UniformRandom.initialize').shape, statistics: sampleStatistics(draw, 1, 'UniformRandom.initialize', { bounds: true }) };
    },
  },
  {
    id: 'uniform-random-reproducible',
    title: 'the same seed gives the same values (draw every number from the rng you are given)',
    compare: { kind: 'exact' },
    run: () => {
      const first = tensorData(new UniformRandom().initialize([3, 4], 3, 4, new Rng(5)), 'UniformRandom.initialize');
      const second = tensorData(new UniformRandom().initialize([3, 4], 3, 4, new Rng(5)), 'UniformRandom.initialize');
      return { shape: first.shape, differences: first.data.filter((v, i) => v !== second.data[i]).length };
    },
  },
]);
