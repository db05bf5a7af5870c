import fc from 'fast-check';
import { expect } from 'vitest';
import { Rng, ValueError } from '../../framework/index.js';
import { sampleGreedy, sampleRandom, sampleWithTemperature, withTemperature } from '#impl/sampling/sampling.js';
import {
  badInput,
  componentChecks,
  drawSamples,
  expectClose,
  expectError,
  fail,
  intIn,
  knownValue,
  numberData,
  property,
  thrown,
} from '../harness/index.js';
import {
  distributionData,
  firstArgmax,
  inverseCdf,
  randomDistribution,
  RecordingRng,
  ScriptedRng,
  tempered,
} from '../helpers/sampling-doubles.js';

/**
 * Exercise 4, Sampling (004: 6485–6536): greedy (the first maximum on a tie), random sampling by
 * inverting the cumulative distribution at one u = rng.uniform() (the first i with p_0 + … + p_i > u),
 * and temperature p^{1/τ}/Σ p^{1/τ}. Handout: docs/exercises/4-recurrent.md#sampling; the convention
 * is also in docs/conventions.md (Exercise 4). Verify recomputes every expected value from the
 * definitions in tests/helpers/sampling-doubles.ts.
 */

/** A random distribution over 2…8 elements. */
const distribution = fc
  .array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 2, maxLength: 8 })
  .map((w) => {
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / total);
  });

const greedy = (p: number[]) => numberData(sampleGreedy(p), 'sampleGreedy');
const temperature = (p: number[], tau: number) => distributionData(withTemperature(p, tau), 'withTemperature');

/** n draws with a recording Rng: the picks and the u each one was given. */
function recordedDraws(
  n: number,
  seed: number,
  draw: (rng: Rng) => unknown,
  what: string,
): { picks: number[]; draws: number[] } {
  const rng = new RecordingRng(seed);
  const picks = Array.from({ length: n }, () => numberData(draw(rng), what));
  return { picks, draws: rng.draws };
}

/** Each pick is the inversion of the CDF of `p` at its own u, one u per pick. */
function expectInversions(
  p: readonly number[],
  { picks, draws }: { picks: number[]; draws: number[] },
  what: string,
  hint = '',
): void {
  if (draws.length !== picks.length)
    fail(
      `${what}: ${picks.length} samples drew ${draws.length} uniform numbers from the Rng; one sample draws exactly one u = rng.uniform()`,
    );
  picks.forEach((pick, k) => {
    const want = inverseCdf(p, draws[k]);
    if (pick !== want) {
      fail(
        `${what}: draw ${k} with u = ${draws[k]} returned ${pick}, expected ${want} for p = [${p.map((v) => v.toPrecision(4)).join(', ')}]: return the first i with p_0 + … + p_i > u${p[pick] === 0 ? ` (element ${pick} has probability 0 and must never be drawn)` : ''}${hint}`,
      );
    }
  });
}

function frequency(picks: readonly number[], element: number): number {
  return picks.filter((pick) => pick === element).length / picks.length;
}

export default componentChecks('ex4', 'Sampling', [
  property({
    title: 'greedy picks the most likely element (the first on a tie)',
    run: (rng) => ({
      samples: drawSamples(distribution, rng, 40).map((p) => ({ p, chosen: greedy(p) })),
      tie: greedy([0.4, 0.2, 0.4]),
    }),
    verify: ({ samples, tie }) => {
      samples.forEach(({ p, chosen }, i) => {
        expect(chosen, `sample ${i}: sampleGreedy([${p.map((v) => v.toPrecision(3)).join(', ')}])`).toBe(
          firstArgmax(p),
        );
      });
      expect(tie, 'sampleGreedy([0.4, 0.2, 0.4]) on a tie: the first maximum').toBe(0);
    },
    hiddenRerun: true,
  }),
  property({
    title: 'greedy on random distributions with ties for the maximum away from index 0',
    run: (rng) =>
      Array.from({ length: 12 }, () => {
        const p = randomDistribution(rng, intIn(rng, 2, 9));
        const top = Math.max(...p);
        const [a, b] = [1 + rng.int(p.length - 1), 1 + rng.int(p.length - 1)];
        const raised = p.map((v, i) => (i === a || i === b ? top * 1.5 : v));
        const total = raised.reduce((x, y) => x + y, 0);
        const tied = raised.map((v) => v / total);
        return { p: tied, chosen: greedy(tied) };
      }),
    verify: (samples) =>
      samples.forEach(({ p, chosen }, i) => {
        expect(
          chosen,
          `sample ${i}: sampleGreedy([${p.map((v) => v.toPrecision(3)).join(', ')}]) must return the first of the tied maxima`,
        ).toBe(firstArgmax(p));
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'temperature keeps a distribution and the order of the elements, τ = 1 changes nothing, small τ approaches greedy, large τ uniform',
    run: (rng) => ({
      samples: drawSamples(fc.tuple(distribution, fc.double({ min: 0.05, max: 20, noNaN: true })), rng, 40).map(
        ([p, tau]) => ({ p, tau, q: temperature(p, tau), unchanged: temperature(p, 1) }),
      ),
      cold: temperature([0.1, 0.6, 0.3], 0.01),
      hot: temperature([0.1, 0.6, 0.3], 1e4),
      withZero: temperature([0, 0.5, 0.5], 0.5),
    }),
    verify: ({ samples, cold, hot, withZero }) => {
      samples.forEach(({ p, tau, q, unchanged }, i) => {
        const where = `sample ${i}: withTemperature([${p.map((v) => v.toPrecision(3)).join(', ')}], ${tau.toPrecision(3)})`;
        expect(q.length, where).toBe(p.length);
        expect(Math.abs(q.reduce((a, b) => a + b, 0) - 1), `${where} must sum to 1`).toBeLessThan(1e-9);
        expectClose(
          { shape: [p.length], data: unchanged },
          p,
          1e-12,
          `${where.replace(tau.toPrecision(3), '1')}: τ = 1 changes nothing`,
        );
        // Up to rounding (1e-12): near-ties may round either way.
        for (let a = 0; a < p.length; a++)
          for (let b = 0; b < p.length; b++)
            if (p[a] < p[b] && !(q[a] <= q[b] + 1e-12))
              fail(
                `${where}: temperature must keep the order of the probabilities (p_${a} < p_${b}, but q_${a} > q_${b})`,
              );
        expect(q[firstArgmax(p)], `${where}: the most likely element stays the most likely`).toBeGreaterThanOrEqual(
          Math.max(...q) - 1e-12,
        );
      });
      expect(cold[1], 'withTemperature([0.1, 0.6, 0.3], 0.01)[1]: a small τ approaches greedy').toBeGreaterThan(
        1 - 1e-12,
      );
      hot.forEach((v, i) => {
        expect(
          Math.abs(v - 1 / 3),
          `withTemperature([0.1, 0.6, 0.3], 1e4)[${i}]: a large τ approaches uniform`,
        ).toBeLessThan(1e-3);
      });
      expect(withZero, 'withTemperature([0, 0.5, 0.5], 0.5): an impossible element stays impossible').toEqual([
        0, 0.5, 0.5,
      ]);
    },
    hiddenRerun: true,
  }),
  property({
    title: 'temperature on random distributions and temperatures between 0.1 and 10 agrees with p^{1/τ} / Σ p^{1/τ}',
    run: (rng) =>
      Array.from({ length: 6 }, () => {
        const p = randomDistribution(rng, intIn(rng, 2, 8), 1);
        const tau = Math.exp(rng.uniformIn(Math.log(0.1), Math.log(10)));
        return { p, tau, q: temperature(p, tau) };
      }),
    verify: (samples) =>
      samples.forEach(({ p, tau, q }, i) => {
        expectClose(
          { shape: [q.length], data: q },
          tempered(p, tau),
          1e-9,
          `sample ${i}: withTemperature(p, ${tau.toPrecision(4)}) = p^{1/τ} / Σ p^{1/τ} (004: 6534)`,
        );
      }),
    hiddenRerun: true,
  }),
  property({
    title:
      'temperature edge cases: τ = 1 changes nothing, τ = 0.001 does not underflow, τ = 10⁴ is nearly uniform over the possible elements',
    run: (rng) => {
      const p = randomDistribution(rng, intIn(rng, 3, 7), 1);
      // No element above 0.4, so p^(1/τ) itself underflows for every element at τ = 0.001.
      const flat = randomDistribution(rng, intIn(rng, 4, 8)).map((v) => v + 1);
      const total = flat.reduce((a, b) => a + b, 0);
      const coldInput = flat.map((v) => v / total);
      return {
        p,
        coldInput,
        unchanged: temperature(p, 1),
        cold: temperature(coldInput, 0.001),
        hot: temperature(p, 1e4),
      };
    },
    verify: ({ p, coldInput, unchanged, cold, hot }) => {
      expectClose({ shape: [unchanged.length], data: unchanged }, p, 1e-12, 'withTemperature(p, 1) must return p');
      if (cold.some((v) => !Number.isFinite(v)))
        fail(
          `withTemperature(p, 0.001) returned [${cold.join(', ')}]: every p_i^{1000} underflows to 0, so compute exp((log p_i − max_j log p_j)/τ) before normalising`,
        );
      expectClose(
        { shape: [cold.length], data: cold },
        tempered(coldInput, 0.001),
        1e-9,
        'withTemperature(p, 0.001): nearly all mass on the most likely element',
      );
      expectClose(
        { shape: [hot.length], data: hot },
        tempered(p, 1e4),
        1e-9,
        'withTemperature(p, 1e4): nearly uniform over the elements with p_i > 0, and exactly 0 where p_i = 0',
      );
    },
    hiddenRerun: true,
  }),
  property({
    title: 'random sampling never picks an impossible element and is reproducible from the seed',
    run: (rng) =>
      drawSamples(fc.integer({ min: 0, max: 999 }), rng, 20).map((seed) => {
        const [a, b] = [new Rng(seed), new Rng(seed)];
        return Array.from({ length: 20 }, () => [
          numberData(sampleRandom([0.5, 0, 0.5], a), 'sampleRandom'),
          numberData(sampleRandom([0.5, 0, 0.5], b), 'sampleRandom'),
        ]);
      }),
    verify: (samples) =>
      samples.forEach((pairs, i) => {
        pairs.forEach(([first, second], k) => {
          expect(
            first,
            `sample ${i}, draw ${k}: sampleRandom([0.5, 0, 0.5]) returned an element of probability 0`,
          ).not.toBe(1);
          expect(second, `sample ${i}, draw ${k}: two Rngs with the same seed must give the same draws`).toBe(first);
        });
      }),
    hiddenRerun: true,
  }),
  property({
    title: "random sampling with the run's seed inverts the cumulative distribution at one u = rng.uniform() per draw",
    run: (rng) => {
      const p = randomDistribution(rng, intIn(rng, 3, 8), 2);
      return { p, ...recordedDraws(60, rng.int(0x7fffffff), (draw) => sampleRandom(p, draw), 'sampleRandom') };
    },
    verify: ({ p, picks, draws }) => expectInversions(p, { picks, draws }, 'sampleRandom'),
    hiddenRerun: true,
  }),
  property({
    title: "sampling with temperature with the run's seed: each draw inverts the tempered distribution at its u",
    run: (rng) => {
      const p = randomDistribution(rng, intIn(rng, 2, 6));
      const tau = rng.uniformIn(0.3, 3);
      return {
        p,
        tau,
        ...recordedDraws(
          60,
          rng.int(0x7fffffff),
          (draw) => sampleWithTemperature(p, tau, draw),
          'sampleWithTemperature',
        ),
      };
    },
    verify: ({ p, tau, picks, draws }) =>
      expectInversions(
        tempered(p, tau),
        { picks, draws },
        `sampleWithTemperature(p, ${tau.toPrecision(3)})`,
        ' of the tempered p (sampleRandom(withTemperature(p, τ), rng): check withTemperature first)',
      ),
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'a draw exactly on a breakpoint of the cumulative distribution belongs to the element on its right (first i with p_0 + … + p_i > u)',
    weight: 2,
    // p = (0.25, 0.25, 0.5) has breakpoints 0.25 and 0.5: u ∈ [0, 0.25) → 0, [0.25, 0.5) → 1, [0.5, 1) → 2.
    // The zero-probability elements sit on a breakpoint too and must never be drawn.
    run: () =>
      [
        [[0.25, 0.25, 0.5], 0],
        [[0.25, 0.25, 0.5], 0.25],
        [[0.25, 0.25, 0.5], 0.5],
        [[0.25, 0.25, 0.5], 0.24999999999999997],
        [[0.25, 0.25, 0.5], 0.49999999999999994],
        [[0.25, 0.25, 0.5], 1 - 2 ** -53],
        [[0, 0.5, 0.5], 0],
        [[0.5, 0, 0.5], 0.5],
        [[0.5, 0.5, 0], 1 - 2 ** -53],
      ].map(([p, u]) => {
        const rng = new ScriptedRng([u as number]);
        return {
          p: p as number[],
          u: u as number,
          chosen: numberData(sampleRandom(p as number[], rng), 'sampleRandom'),
          taken: rng.taken,
        };
      }),
    verify: (cases) =>
      cases.forEach(({ p, u, chosen, taken }) => {
        expect(taken, `sampleRandom([${p.join(', ')}]) must draw exactly one u = rng.uniform()`).toBe(1);
        const want = inverseCdf(p, u);
        if (chosen !== want) {
          fail(
            `sampleRandom([${p.join(', ')}]) with u = ${u} returned ${chosen}, expected ${want}. The convention (docs/exercises/4-recurrent.md#sampling, docs/conventions.md) is the first i with ` +
              `p_0 + … + p_i > u, strictly: u exactly on a breakpoint belongs to the element on its right, ` +
              `and an element of probability 0 is never returned${p[chosen] === 0 ? ` (element ${chosen} has probability 0)` : ''}.`,
          );
        }
      }),
  }),
  knownValue({
    title: 'greedy: the most likely element, the first one on a tie',
    run: () =>
      [
        [0.1, 0.6, 0.3],
        [0.2, 0.4, 0.4],
        [0.05, 0.05, 0.1, 0.8],
      ].map(greedy),
    verify: (picks) =>
      expect(picks, 'sampleGreedy of (0.1, 0.6, 0.3), (0.2, 0.4, 0.4), (0.05, 0.05, 0.1, 0.8)').toEqual([1, 1, 3]),
  }),
  knownValue({
    title:
      'temperature τ = 0.5 squares and renormalises (004: 6534): (0.2, 0.8) → (1/17, 16/17); zeros stay zero; τ = 2 takes square roots',
    run: () => ({
      sharpened: temperature([0.2, 0.8], 0.5),
      withZero: temperature([0, 0.5, 0.5], 0.5),
      flattened: temperature([0.1, 0.6, 0.3], 2),
    }),
    verify: ({ sharpened, withZero, flattened }) => {
      expectClose(
        { shape: [2], data: sharpened },
        [1 / 17, 16 / 17],
        1e-12,
        'withTemperature([0.2, 0.8], 0.5): (0.04, 0.64)/0.68',
      );
      expectClose({ shape: [3], data: withZero }, [0, 0.5, 0.5], 1e-12, 'withTemperature([0, 0.5, 0.5], 0.5)');
      const roots = [0.1, 0.6, 0.3].map(Math.sqrt);
      const total = roots.reduce((a, b) => a + b, 0);
      expectClose(
        { shape: [3], data: flattened },
        roots.map((r) => r / total),
        1e-12,
        'withTemperature([0.1, 0.6, 0.3], 2): √p / Σ√p',
      );
    },
  }),
  knownValue({
    title: '"if let\'s has output probability 0.8, it is sampled 8 out of 10 times" (004: 6529)',
    run: () => {
      const rng = new Rng(6529);
      return Array.from({ length: 20000 }, () => numberData(sampleRandom([0.8, 0.2], rng), 'sampleRandom'));
    },
    // Binomial standard deviation √(0.8·0.2/20000) ≈ 0.0028; 0.01 is over 3.5 of them.
    verify: (picks) =>
      expect(
        Math.abs(frequency(picks, 0) - 0.8),
        `sampled element 0 with frequency ${frequency(picks, 0)}, expected 0.8`,
      ).toBeLessThan(0.01),
  }),
  knownValue({
    title:
      'sampling with temperature follows the sharpened distribution: (0.2, 0.8) at τ = 0.5 draws element 1 with frequency 16/17',
    run: () => {
      const rng = new Rng(7);
      return Array.from({ length: 20000 }, () =>
        numberData(sampleWithTemperature([0.2, 0.8], 0.5, rng), 'sampleWithTemperature'),
      );
    },
    verify: (picks) =>
      expect(Math.abs(frequency(picks, 1) - 16 / 17), `frequency ${frequency(picks, 1)}, expected 16/17`).toBeLessThan(
        0.01,
      ),
  }),
  knownValue({
    title:
      'random sampling: 40 seeded draws from (0.5, 0, 0.3, 0.2) invert the cumulative distribution at u = rng.uniform()',
    run: () => recordedDraws(40, 6529, (rng) => sampleRandom([0.5, 0, 0.3, 0.2], rng), 'sampleRandom'),
    verify: (data) => expectInversions([0.5, 0, 0.3, 0.2], data, 'sampleRandom([0.5, 0, 0.3, 0.2])'),
  }),
  knownValue({
    title: 'sampling with temperature: 40 seeded draws from (0.2, 0.5, 0.3) at τ = 0.5',
    run: () => recordedDraws(40, 7, (rng) => sampleWithTemperature([0.2, 0.5, 0.3], 0.5, rng), 'sampleWithTemperature'),
    verify: (data) =>
      expectInversions(
        tempered([0.2, 0.5, 0.3], 0.5),
        data,
        'sampleWithTemperature([0.2, 0.5, 0.3], 0.5)',
        ' of the tempered p (sampleRandom(withTemperature(p, τ), rng): check withTemperature first)',
      ),
  }),
  badInput({
    title: 'rejects what is not a distribution or not a temperature',
    run: () => ({
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      working: greedy([0.2, 0.8]),
      notNormalised: thrown(() => sampleGreedy([0.5, 0.2])),
      negative: thrown(() => sampleRandom([1.5, -0.5], new Rng(1))),
      zeroTemperature: thrown(() => withTemperature([0.5, 0.5], 0)),
    }),
    verify: ({ working, notNormalised, negative, zeroTemperature }) => {
      expect(working, 'sampleGreedy([0.2, 0.8])').toBe(1);
      expectError(notNormalised, ValueError.name, 'sampleGreedy([0.5, 0.2]), which sums to 0.7');
      expectError(negative, ValueError.name, 'sampleRandom([1.5, −0.5])', ['non-negative']);
      expectError(zeroTemperature, ValueError.name, 'withTemperature(p, 0)', ['temperature must be a positive number']);
    },
  }),
]);
