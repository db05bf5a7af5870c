import { XavierUniform } from '#impl/initializers/xavier-uniform.js';
import { Rng } from '../../../framework/random/rng.js';
import { errorName, publicCases, sampleStatistics, tensorData } from '../../case-api.js';

/** The spread XavierUniform must draw with: U[−r, r), r = √(6 / (fanIn + fanOut)) (seed 003: 302–305). */
const scaleOf = (fanIn: number, fanOut: number): number => Math.sqrt(6 / (fanIn + fanOut));

/**
 * A draw of 50 000 values, by its statistics in units of r: mean 0, variance 1/3, kurtosis 1.8, range [−1, 1)
 * (case-api.ts, `sampleStatistics`): a correct draw matches the reference's within the tolerance
 * whatever order it consumes the Rng in; a wrong r or distribution does not.
 */
function statistics(fanIn: number, fanOut: number, seed: number) {
  return { fanIn, fanOut, statistics: sampleStatistics(new XavierUniform().initialize([200, 250], fanIn, fanOut, new Rng(seed)), scaleOf(fanIn, fanOut), 'XavierUniform.initialize', { bounds: true }) };
}

export default publicCases('ex2', 'XavierUniform', [
  {
    id: 'xavier-uniform-statistics',
    title: 'draws from U[−r, r), r = √(6 / (fanIn + fanOut)) (fans 50/150, 9/36, 784/10; 50 000 values each, fixed seeds)',
    weight: 2,
    compare: { kind: 'close', tolerance: 0.05 },
    run: () => [[50, 150], [9, 36], [784, 10]].map(([fanIn, fanOut]) => statistics(fanIn, fanOut, fanIn * 1000 + fanOut)),
  },
  {
    id: 'xavier-uniform-uses-the-fans',
    title: 'Xavier averages both fans: fanIn 30, fanOut 270 and the swapped fans (DESIGN §3); the same seed gives the same values',
    compare: { kind: 'close', tolerance: 0.05 },
    run: () => {
      const first = tensorData(new XavierUniform().initialize([4, 5], 6, 7, new Rng(3)), 'XavierUniform.initialize');
      const again = tensorData(new XavierUniform().initialize([4, 5], 6, 7, new Rng(3)), 'XavierUniform.initialize');
      return {
        draws: [[30, 270], [270, 30]].map(([fanIn, fanOut]) => statistics(fanIn, fanOut, 4)),
        shape: first.shape,
        sameSeedDifferences: first.data.filter((v, i) => v !== again.data[i]).length,
      };
    },
  },
  {
    id: 'xavier-uniform-rejects-bad-fans',
    title: 'fans that are not positive integers are refused with a ValueError',
    compare: { kind: 'exact' },
    run: () => {
      const valid = tensorData(new XavierUniform().initialize([2, 2], 3, 3, new Rng(1)), 'XavierUniform.initialize');
      return {
        shape: valid.shape,
        zeroFanIn: errorName(() => new XavierUniform().initialize([2, 2], 0, 3, new Rng(1))),
        fractionalFanOut: errorName(() => new XavierUniform().initialize([2, 2], 3, 1.5, new Rng(1))),
      };
    },
  },
]);
