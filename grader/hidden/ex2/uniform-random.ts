import { UniformRandom } from '#impl/initializers/uniform-random.js';
import { hiddenCases, intIn, sampleStatistics, tensorData } from '../../case-api.js';

export default hiddenCases('ex2', 'UniformRandom', [
  {
    id: 'uniform-random-hidden-statistics',
    title: 'U[0, 1) statistics on another seed and shape',
    points: 1,
    compare: { kind: 'close', tolerance: 0.02 },
    run: (rng) => {
      const rows = intIn(rng, 100, 400);
      const draw = new UniformRandom().initialize([rows, Math.ceil(60_000 / rows)], intIn(rng, 1, 99), intIn(rng, 1, 99), rng.fork());
      return { shape: tensorData(draw, 'UniformRandom.initialize').shape, statistics: sampleStatistics(draw, 1, 'UniformRandom.initialize', { bounds: true }) };
    },
  },
]);
