import { Xavier } from '#impl/initializers/xavier.js';
import { hiddenCases, intIn, sampleStatistics } from '../../case-api.js';

/** N(0, σ²), σ = √(2 / (fanIn + fanOut)). */
const scaleOf = (fanIn: number, fanOut: number): number => Math.sqrt(2 / (fanIn + fanOut));

export default hiddenCases('ex2', 'Xavier', [
  {
    id: 'xavier-hidden-random-fans',
    title: 'the distribution for random fans and another seed',
    points: 2,
    compare: { kind: 'close', tolerance: 0.05 },
    run: (rng) => [0, 1].map(() => {
      const fanIn = intIn(rng, 1, 1000);
      const fanOut = intIn(rng, 1, 1000);
      const draw = new Xavier().initialize([250, 240], fanIn, fanOut, rng.fork());
      return { fanIn, fanOut, statistics: sampleStatistics(draw, scaleOf(fanIn, fanOut), 'Xavier.initialize') };
    }),
  },
]);
