import fc from 'fast-check';
import { CosineAnnealing } from '#impl/schedules/cosine-annealing.js';
import { componentChecks, drawSamples, expectClose, fail, knownValue, property } from '../harness/index.js';
import { cosineAnnealingRate, type CosineAnnealingOptions } from '../helpers/schedule-definitions.js';
import { expectRates, ratesAt, scheduleChecks } from '../helpers/schedule-checks.js';

/**
 * Exercise 6, CosineAnnealing (Loshchilov and Hutter; seed 000: 2454–2455 names it):
 * η(t) = η_min + ½(η_max − η_min)(1 + cos(π·t_cur/T)), t_cur = min(t, T), or t mod T with warm restarts.
 * Handout: docs/exercises/6-modern.md#cosineannealing
 */
const options: fc.Arbitrary<CosineAnnealingOptions> = fc
  .record({
    lr: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    fraction: fc.double({ min: 0, max: 0.9, noNaN: true }),
    period: fc.integer({ min: 1, max: 30 }),
    restarts: fc.boolean(),
  })
  .map(({ lr, fraction, period, restarts }) => ({ lr, minLr: lr * fraction, period, restarts }));

const STEPS = Array.from({ length: 70 }, (_, t) => t);

export default componentChecks('ex6', 'CosineAnnealing', [
  ...scheduleChecks({
    name: 'CosineAnnealing',
    make: (o) => new CosineAnnealing(o),
    formula: 'η_min + ½(η_max − η_min)(1 + cos(π·t_cur/T)), t_cur = min(t, T) (or t mod T with restarts)',
    rate: cosineAnnealingRate,
    options,
    refusals: [
      { options: { lr: 0, period: 10 }, mentions: 'lr' },
      { options: { lr: 0.1, period: 0 }, mentions: 'period' },
      { options: { lr: 0.1, period: 10, minLr: -0.01 }, mentions: 'minLr' },
      { options: { lr: 0.1, period: 10, minLr: 0.2 }, mentions: 'minLr' },
    ],
    training: { options: { lr: 0.5, period: 60, minLr: 0.05 }, iterations: 60, accuracy: 0.65 },
  }),
  property({
    title:
      'without restarts: falls monotonically from η_max, reaches η_min exactly at t = T and stays there; never leaves [η_min, η_max]',
    run: (rng) =>
      drawSamples(options, rng, 25).map((drawn) => {
        const o = { ...drawn, restarts: false };
        return { o, rates: ratesAt(new CosineAnnealing(o), STEPS, 'CosineAnnealing') };
      }),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        const what = `sample ${i}: CosineAnnealing(${JSON.stringify(o)})`;
        const minLr = o.minLr ?? 0;
        rates.forEach((rate, t) => {
          if (rate > o.lr * (1 + 1e-12) || rate < minLr - 1e-12 * o.lr)
            fail(`${what}.at(${t}) = ${rate} leaves [minLr, lr]`);
          if (t > 0 && rate > rates[t - 1] + 1e-15)
            fail(
              `${what}: at(${t}) = ${rate} is larger than at(${t - 1}) = ${rates[t - 1]}; without restarts the rate never rises`,
            );
          if (t >= o.period)
            expectClose(
              rate,
              minLr,
              1e-12,
              `${what}.at(${t}): from t = T = ${o.period} on the rate is η_min (cos(π·T/T) = −1; divide by T, and hold t_cur at T)`,
            );
        });
      }),
    hiddenRerun: true,
  }),
  property({
    title: 'with restarts: periodic with period T (at(t + T) = at(t)), back to η_max at every multiple of T',
    run: (rng) =>
      drawSamples(options, rng, 25).map((drawn) => {
        const o = { ...drawn, restarts: true };
        return { o, rates: ratesAt(new CosineAnnealing(o), STEPS, 'CosineAnnealing') };
      }),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        rates.forEach((rate, t) => {
          const what = `sample ${i}: CosineAnnealing(${JSON.stringify(o)})`;
          if (t % o.period === 0)
            expectClose(
              rate,
              o.lr,
              1e-12,
              `${what}.at(${t}): a warm restart every T = ${o.period} updates starts again at η_max`,
            );
          if (t >= o.period)
            expectClose(
              rate,
              rates[t - o.period],
              1e-12,
              `${what}: at(${t}) must equal at(${t - o.period}) (t_cur = t mod T)`,
            );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'η_max = 1, η_min = 0, T = 4: 1, 0.8536, 0.5, 0.1464, 0, 0 (cos of 0, π/4, π/2, 3π/4, π)',
    run: () => ratesAt(new CosineAnnealing({ lr: 1, period: 4 }), [0, 1, 2, 3, 4, 5, 9], 'CosineAnnealing'),
    verify: (rates) =>
      expectRates(
        rates,
        [1, 0.8535533905932737, 0.5, 0.14644660940672627, 0, 0, 0],
        1e-12,
        'CosineAnnealing({ lr: 1, period: 4 }).at(0 … 5, 9) with the defaults minLr = 0, restarts = false',
      ),
  }),
  knownValue({
    title: 'warm restarts: η_max = 1.1, η_min = 0.1, T = 4: 1.1, 0.6 at t = 2, then 1.1 again at t = 4 and 8',
    run: () =>
      ratesAt(
        new CosineAnnealing({ lr: 1.1, minLr: 0.1, period: 4, restarts: true }),
        [0, 2, 3, 4, 6, 8],
        'CosineAnnealing',
      ),
    verify: (rates) =>
      expectRates(
        rates,
        [1.1, 0.6, 0.1 + 0.14644660940672627, 1.1, 0.6, 1.1],
        1e-12,
        'CosineAnnealing({ lr: 1.1, minLr: 0.1, period: 4, restarts: true }).at(0, 2, 3, 4, 6, 8)',
      ),
  }),
]);
