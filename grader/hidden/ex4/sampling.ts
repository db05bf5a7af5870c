import { sampleGreedy, sampleRandom, sampleWithTemperature, withTemperature } from '#impl/sampling/sampling.js';
import type { Rng } from '../../../framework/random/rng.js';
import { hiddenCases, intIn, numberData } from '../../case-api.js';

/** A random distribution over `size` elements; `zeros` of them (never all) are exactly 0. */
function randomDistribution(rng: Rng, size: number, zeros = 0): number[] {
  const weights = Array.from({ length: size }, () => rng.uniformIn(0.05, 1));
  for (let k = 0; k < zeros; k++) weights[rng.int(size)] = 0;
  if (!weights.some((w) => w > 0)) weights[rng.int(size)] = 1;
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / total);
}

function draws(n: number, draw: () => unknown, what: string): number[] {
  return Array.from({ length: n }, () => numberData(draw(), what));
}

/** withTemperature's output as plain numbers. */
function tempered(p: number[], temperature: number): number[] {
  return Array.from(withTemperature(p, temperature), Number);
}

export default hiddenCases('ex4', 'Sampling', [
  {
    id: 'sampling-hidden-greedy-random',
    title: 'greedy on random distributions, with and without ties',
    points: 2,
    compare: { kind: 'exact' },
    run: (rng) => {
      const picks: number[] = [];
      for (let k = 0; k < 12; k++) {
        const p = randomDistribution(rng, intIn(rng, 2, 9));
        if (k % 3 === 0) {
          // A tie for the maximum at two random places, neither at index 0.
          const top = Math.max(...p);
          const a = 1 + rng.int(p.length - 1);
          const b = 1 + rng.int(p.length - 1);
          const raised = p.map((v, i) => (i === a || i === b ? top * 1.5 : v));
          const total = raised.reduce((x, y) => x + y, 0);
          picks.push(numberData(sampleGreedy(raised.map((v) => v / total)), 'sampleGreedy'));
        } else {
          picks.push(numberData(sampleGreedy(p), 'sampleGreedy'));
        }
      }
      return picks;
    },
  },
  {
    id: 'sampling-hidden-random-draws',
    title: 'random sampling with the run\'s seed: 60 draws from a random distribution with impossible elements',
    points: 3,
    compare: { kind: 'exact' },
    run: (rng) => {
      const p = randomDistribution(rng, intIn(rng, 3, 8), 2);
      return draws(60, () => sampleRandom(p, rng), 'sampleRandom');
    },
  },
  {
    id: 'sampling-hidden-temperature-random',
    title: 'temperature on random distributions and temperatures between 0.1 and 10',
    points: 2,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => Array.from({ length: 6 }, () => tempered(randomDistribution(rng, intIn(rng, 2, 8), 1), Math.exp(rng.uniformIn(Math.log(0.1), Math.log(10))))),
  },
  {
    id: 'sampling-hidden-temperature-extremes',
    title: 'temperature edge cases: τ = 1 changes nothing, τ = 0.001 does not underflow, τ = 10⁴ is nearly uniform over the possible elements',
    points: 3,
    compare: { kind: 'close', tolerance: 1e-9 },
    run: (rng) => {
      const p = randomDistribution(rng, intIn(rng, 3, 7), 1);
      // No element above 0.4, so p^(1/τ) itself underflows for every element at τ = 0.001.
      const flat = randomDistribution(rng, intIn(rng, 4, 8)).map((v) => v + 1);
      const total = flat.reduce((a, b) => a + b, 0);
      return { unchanged: tempered(p, 1), cold: tempered(flat.map((v) => v / total), 0.001), hot: tempered(p, 1e4) };
    },
  },
  {
    id: 'sampling-hidden-temperature-draws',
    title: 'sampling with temperature with the run\'s seed: 60 draws',
    points: 2,
    compare: { kind: 'exact' },
    run: (rng) => {
      const p = randomDistribution(rng, intIn(rng, 2, 6));
      const temperature = rng.uniformIn(0.3, 3);
      return draws(60, () => sampleWithTemperature(p, temperature, rng), 'sampleWithTemperature');
    },
  },
]);
