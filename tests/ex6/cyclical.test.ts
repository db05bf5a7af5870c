import fc from 'fast-check';
import { Cyclical } from '#impl/schedules/cyclical.js';
import { componentChecks, drawSamples, expectClose, fail, knownValue, property } from '../harness/index.js';
import { cyclicalRate, type CyclicalOptions } from '../helpers/schedule-definitions.js';
import { expectRates, ratesAt, scheduleChecks } from '../helpers/schedule-checks.js';

/**
 * Exercise 6, Cyclical (triangular; Smith 2017; seed 000: 2434–2450, the range halved each cycle in
 * 'triangular2'): a triangle wave between lr and maxLr with half-period stepSize.
 * Handout: docs/exercises/6-modern.md#cyclical
 */
const options: fc.Arbitrary<CyclicalOptions> = fc
  .record({
    lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
    ratio: fc.double({ min: 1.5, max: 20, noNaN: true }),
    stepSize: fc.integer({ min: 1, max: 15 }),
    mode: fc.constantFrom<'triangular' | 'triangular2'>('triangular', 'triangular2'),
  })
  .map(({ lr, ratio, stepSize, mode }) => ({ lr, maxLr: lr * ratio, stepSize, mode }));

const STEPS = Array.from({ length: 80 }, (_, t) => t);

export default componentChecks('ex6', 'Cyclical', [
  ...scheduleChecks({
    name: 'Cyclical',
    make: (o) => new Cyclical(o),
    formula: 'lr + (maxLr − lr)·max(0, 1 − |t/stepSize − 2·cycle + 1|)·scale, cycle = ⌊1 + t/(2·stepSize)⌋',
    rate: cyclicalRate,
    options,
    refusals: [
      { options: { lr: 0, maxLr: 0.5, stepSize: 4 }, mentions: 'lr' },
      { options: { lr: 0.1, maxLr: 0.1, stepSize: 4 }, mentions: 'maxLr' },
      { options: { lr: 0.1, maxLr: 0.5, stepSize: 0 }, mentions: 'stepSize' },
      { options: { lr: 0.1, maxLr: 0.5, stepSize: 4, mode: 'exp_range' }, mentions: 'mode' },
    ],
    training: { options: { lr: 0.1, maxLr: 0.6, stepSize: 15 }, iterations: 60, accuracy: 0.65 },
  }),
  property({
    title:
      'triangular: periodic with period 2·stepSize, at maxLr at t = stepSize + 2k·stepSize, at lr at multiples of 2·stepSize, within [lr, maxLr]',
    run: (rng) =>
      drawSamples(options, rng, 25).map((drawn) => {
        const o = { ...drawn, mode: 'triangular' as const };
        return { o, rates: ratesAt(new Cyclical(o), STEPS, 'Cyclical') };
      }),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        const what = `sample ${i}: Cyclical(${JSON.stringify(o)})`;
        const period = 2 * o.stepSize;
        rates.forEach((rate, t) => {
          if (rate < o.lr * (1 - 1e-12) || rate > o.maxLr * (1 + 1e-12))
            fail(`${what}.at(${t}) = ${rate} leaves [lr, maxLr]`);
          if (t % period === o.stepSize)
            expectClose(rate, o.maxLr, 1e-12, `${what}.at(${t}): the top of each cycle (stepSize updates up)`);
          if (t % period === 0) expectClose(rate, o.lr, 1e-12, `${what}.at(${t}): each cycle starts at lr`);
          if (t >= period)
            expectClose(
              rate,
              rates[t - period],
              1e-12,
              `${what}: at(${t}) must equal at(${t - period}): one cycle is 2·stepSize updates (up, then down)`,
            );
        });
      }),
    hiddenRerun: true,
  }),
  property({
    title: "triangular2: every cycle's height above lr is half the previous one's (000: 2450)",
    run: (rng) =>
      drawSamples(options, rng, 25).map((drawn) => {
        const o = { ...drawn, mode: 'triangular2' as const };
        return { o, rates: ratesAt(new Cyclical(o), STEPS, 'Cyclical') };
      }),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        rates.forEach((rate, t) => {
          if (t < 2 * o.stepSize) return;
          expectClose(
            rate - o.lr,
            (rates[t - 2 * o.stepSize] - o.lr) / 2,
            1e-12,
            `sample ${i}: Cyclical(${JSON.stringify(o)}): at(${t}) − lr must be half of at(${t - 2 * o.stepSize}) − lr (the range is cut in half after each cycle)`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'triangular, lr = 0.1, maxLr = 0.5, stepSize = 2: 0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5',
    run: () => {
      const schedule = new Cyclical({ lr: 0.1, maxLr: 0.5, stepSize: 2 });
      return { rates: ratesAt(schedule, [0, 1, 2, 3, 4, 5, 6], 'Cyclical'), mode: schedule.mode };
    },
    verify: ({ rates, mode }) => {
      if (mode !== 'triangular') fail(`Cyclical's default mode must be 'triangular', got ${mode}`);
      expectRates(
        rates,
        [0.1, 0.3, 0.5, 0.3, 0.1, 0.3, 0.5],
        1e-14,
        'Cyclical({ lr: 0.1, maxLr: 0.5, stepSize: 2 }).at(0 … 6)',
      );
    },
  }),
  knownValue({
    title: 'triangular2 (000: 2450): peaks 0.5, 0.3, 0.2 in cycles 1, 2, 3 (lr = 0.1, maxLr = 0.5, stepSize = 2)',
    run: () =>
      ratesAt(new Cyclical({ lr: 0.1, maxLr: 0.5, stepSize: 2, mode: 'triangular2' }), [2, 4, 5, 6, 10], 'Cyclical'),
    verify: (rates) =>
      expectRates(rates, [0.5, 0.1, 0.2, 0.3, 0.2], 1e-14, "Cyclical({ …, mode: 'triangular2' }).at(2, 4, 5, 6, 10)"),
  }),
]);
