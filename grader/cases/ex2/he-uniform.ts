import { HeUniform } from '#impl/initializers/he-uniform.js';
import { Rng } from '../../../framework/random/rng.js';
import { errorName, publicCases, sampleStatistics, tensorData } from '../../case-api.js';

/** The spread HeUniform must draw with: U[−r, r), r = √(6 / fanIn) (seed 003: 328–331). */
const scaleOf = (fanIn: number, fanOut: number): number => Math.sqrt(6 / fanIn);

/**
 * A draw of 50 000 values, by its statistics in units of r: mean 0, variance 1/3, kurtosis 1.8, range [−1, 1)
 * (case-api.ts, `sampleStatistics`): a correct draw matches the reference's within the tolerance
 * whatever order it consumes the Rng in; a wrong r or distribution does not.
 */
function statistics(fanIn: number, fanOut: number, seed: number) {
  return { fanIn, fanOut, statistics: sampleStatistics(new HeUniform().initialize([200, 250], fanIn, fanOut, new Rng(seed)), scaleOf(fanIn, fanOut), 'HeUniform.initialize', { bounds: true }) };
}

export default publicCases('ex2', 'HeUniform', [
  {
    id: 'he-uniform-statistics',
    title: 'draws from U[−r, r), r = √(6 / fanIn) (fans 50/150, 9/36, 784/10; 50 000 values each, fixed seeds)',
    weight: 2,
    compare: { kind: 'close', tolerance: 0.05 },
    run: () => [[50, 150], [9, 36], [784, 10]].map(([fanIn, fanOut]) => statistics(fanIn, fanOut, fanIn * 1000 + fanOut)),
  },
  {
    id: 'he-uniform-uses-the-fans',
    title: 'He ignores fanOut: fanIn 30 with fanOut 5 and with fanOut 500 (DESIGN §3); the same seed gives the same values',
    compare: { kind: 'close', tolerance: 0.05 },
    run: () => {
      const first = tensorData(new HeUniform().initialize([4, 5], 6, 7, new Rng(3)), 'HeUniform.initialize');
      const again = tensorData(new HeUniform().initialize([4, 5], 6, 7, new Rng(3)), 'HeUniform.initialize');
      return {
        draws: [[30, 5], [30, 500]].map(([fanIn, fanOut]) => statistics(fanIn, fanOut, 4)),
        shape: first.shape,
        sameSeedDifferences: first.data.filter((v, i) => v !== again.data[i]).length,
      };
    },
  },
  {
    id: 'he-uniform-rejects-bad-fans',
    title: 'fans that are not positive integers are refused with a ValueError',
    compare: { kind: 'exact' },
    run: () => {
      const valid = tensorData(new HeUniform().initialize([2, 2], 3, 3, new Rng(1)), 'HeUniform.initialize');
      return {
        shape: valid.shape,
        zeroFanIn: errorName(() => new HeUniform().initialize([2, 2], 0, 3, new Rng(1))),
        fractionalFanOut: errorName(() => new HeUniform().initialize([2, 2], 3, 1.5, new Rng(1))),
      };
    },
  },
]);
