import { XavierUniform } from '#impl/initializers/xavier-uniform.js';
import { hiddenCases, intIn, sampleStatistics } from '../../case-api.js';

/** U[−r, r), r = √(6 / (fanIn + fanOut)). */
const scaleOf = (fanIn: number, fanOut: number): number => Math.sqrt(6 / (fanIn + fanOut));

export default hiddenCases('ex2', 'XavierUniform', [
  {
    id: 'xavier-uniform-hidden-random-fans',
    title: 'the distribution for random fans and another seed',
    points: 1,
    compare: { kind: 'close', tolerance: 0.05 },
    run: (rng) => [0, 1].map(() => {
      const fanIn = intIn(rng, 1, 1000);
      const fanOut = intIn(rng, 1, 1000);
      const draw = new XavierUniform().initialize([250, 240], fanIn, fanOut, rng.fork());
      return { fanIn, fanOut, statistics: sampleStatistics(draw, scaleOf(fanIn, fanOut), 'XavierUniform.initialize', { bounds: true }) };
    }),
  },
]);
