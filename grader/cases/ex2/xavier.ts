import { Xavier } from '#impl/initializers/xavier.js';
import { Rng } from '../../../framework/random/rng.js';
import { errorName, publicCases, sampleStatistics, tensorData } from '../../case-api.js';

/** The spread Xavier must draw with: N(0, σ²), σ = √(2 / (fanIn + fanOut)) (seed 004: 3984–3993). */
const scaleOf = (fanIn: number, fanOut: number): number => Math.sqrt(2 / (fanIn + fanOut));

/**
 * A draw of 50 000 values, by its statistics in units of σ: mean 0, variance 1, kurtosis 3
 * (case-api.ts, `sampleStatistics`): a correct draw matches the reference's within the tolerance
 * whatever order it consumes the Rng in; a wrong σ or distribution does not.
 */
function statistics(fanIn: number, fanOut: number, seed: number) {
  return { fanIn, fanOut, statistics: sampleStatistics(new Xavier().initialize([200, 250], fanIn, fanOut, new Rng(seed)), scaleOf(fanIn, fanOut), 'Xavier.initialize') };
}

export default publicCases('ex2', 'Xavier', [
  {
    id: 'xavier-statistics',
    title: 'draws from N(0, σ²), σ = √(2 / (fanIn + fanOut)) (fans 50/150, 9/36, 784/10; 50 000 values each, fixed seeds)',
    weight: 2,
    compare: { kind: 'close', tolerance: 0.05 },
    run: () => [[50, 150], [9, 36], [784, 10]].map(([fanIn, fanOut]) => statistics(fanIn, fanOut, fanIn * 1000 + fanOut)),
  },
  {
    id: 'xavier-uses-the-fans',
    title: 'Xavier averages both fans: fanIn 30, fanOut 270 and the swapped fans (DESIGN §3); the same seed gives the same values',
    compare: { kind: 'close', tolerance: 0.05 },
    run: () => {
      const first = tensorData(new Xavier().initialize([4, 5], 6, 7, new Rng(3)), 'Xavier.initialize');
      const again = tensorData(new Xavier().initialize([4, 5], 6, 7, new Rng(3)), 'Xavier.initialize');
      return {
        draws: [[30, 270], [270, 30]].map(([fanIn, fanOut]) => statistics(fanIn, fanOut, 4)),
        shape: first.shape,
        sameSeedDifferences: first.data.filter((v, i) => v !== again.data[i]).length,
      };
    },
  },
  {
    id: 'xavier-rejects-bad-fans',
    title: 'fans that are not positive integers are refused with a ValueError',
    compare: { kind: 'exact' },
    run: () => {
      const valid = tensorData(new Xavier().initialize([2, 2], 3, 3, new Rng(1)), 'Xavier.initialize');
      return {
        shape: valid.shape,
        zeroFanIn: errorName(() => new Xavier().initialize([2, 2], 0, 3, new Rng(1))),
        fractionalFanOut: errorName(() => new Xavier().initialize([2, 2], 3, 1.5, new Rng(1))),
      };
    },
  },
]);
