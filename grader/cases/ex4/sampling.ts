import { sampleGreedy, sampleRandom, sampleWithTemperature, withTemperature } from '#impl/sampling/sampling.js';
import { Rng } from '../../../framework/random/rng.js';
import { numberData, publicCases } from '../../case-api.js';

/** n draws of `draw`, each checked to be a number. */
function draws(n: number, draw: () => unknown, what: string): number[] {
  return Array.from({ length: n }, () => numberData(draw(), what));
}

export default publicCases('ex4', 'Sampling', [
  {
    id: 'sampling-greedy-known-values',
    title: 'greedy: the most likely element, the first one on a tie',
    compare: { kind: 'exact' },
    run: () => [[0.1, 0.6, 0.3], [0.2, 0.4, 0.4], [0.05, 0.05, 0.1, 0.8]].map((p) => numberData(sampleGreedy(p), 'sampleGreedy')),
  },
  {
    id: 'sampling-temperature-known-values',
    title: 'temperature τ = 0.5 squares and renormalises: (0.2, 0.8) → (1/17, 16/17); zeros stay zero',
    run: () => ({
      sharpened: Array.from(withTemperature([0.2, 0.8], 0.5), Number),
      withZero: Array.from(withTemperature([0, 0.5, 0.5], 0.5), Number),
      flattened: Array.from(withTemperature([0.1, 0.6, 0.3], 2), Number),
    }),
  },
  {
    id: 'sampling-random-seeded-draws',
    title: 'random sampling: 40 seeded draws invert the cumulative distribution at u = rng.uniform()',
    compare: { kind: 'exact' },
    run: () => {
      const rng = new Rng(6529);
      return draws(40, () => sampleRandom([0.5, 0, 0.3, 0.2], rng), 'sampleRandom');
    },
  },
  {
    id: 'sampling-temperature-seeded-draws',
    title: 'sampling with temperature: 40 seeded draws from (0.2, 0.5, 0.3) at τ = 0.5',
    compare: { kind: 'exact' },
    run: () => {
      const rng = new Rng(7);
      return draws(40, () => sampleWithTemperature([0.2, 0.5, 0.3], 0.5, rng), 'sampleWithTemperature');
    },
  },
]);
