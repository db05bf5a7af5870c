import fc from 'fast-check';
import { InverseTimeDecay } from '#impl/schedules/inverse-time-decay.js';
import { componentChecks, drawSamples, expectClose, knownValue, property } from '../harness/index.js';
import { inverseTimeDecayRate, type InverseTimeDecayOptions } from '../helpers/schedule-definitions.js';
import { expectRates, PROBE_STEPS, ratesAt, scheduleChecks } from '../helpers/schedule-checks.js';

/**
 * Exercise 6, InverseTimeDecay: η(t) = η₀ / (1 + k·t/s) (seed 004: 4489; 003: 558 names it), t counting
 * updates from 0. Handout: docs/exercises/6-modern.md#inversetimedecay
 */
const options: fc.Arbitrary<InverseTimeDecayOptions> = fc.record({
  lr: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  decayRate: fc.double({ min: 0.01, max: 5, noNaN: true }),
  decaySteps: fc.integer({ min: 2, max: 50 }),
});

export default componentChecks('ex6', 'InverseTimeDecay', [
  ...scheduleChecks({
    name: 'InverseTimeDecay',
    make: (o) => new InverseTimeDecay(o),
    formula: 'η₀ / (1 + k·t/s)',
    rate: inverseTimeDecayRate,
    options,
    refusals: [
      { options: { lr: 0, decayRate: 0.5 }, mentions: 'lr' },
      { options: { lr: 0.1, decayRate: -0.5 }, mentions: 'decayRate' },
      { options: { lr: 0.1, decayRate: 0.5, decaySteps: 0 }, mentions: 'decaySteps' },
    ],
    training: { options: { lr: 0.5, decayRate: 0.5, decaySteps: 30 }, iterations: 60, accuracy: 0.65 },
  }),
  property({
    title: '1/η grows linearly: 1/at(t+1) − 1/at(t) = k/(s·η₀) at every t',
    run: (rng) =>
      drawSamples(options, rng, 25).map((o) => ({
        o,
        rates: ratesAt(new InverseTimeDecay(o), PROBE_STEPS.slice(0, 13), 'InverseTimeDecay'),
      })),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        const slope = o.decayRate / ((o.decaySteps ?? 1) * o.lr);
        rates.slice(1).forEach((rate, k) => {
          expectClose(
            1 / rate - 1 / rates[k],
            slope,
            1e-9,
            `sample ${i}: InverseTimeDecay(${JSON.stringify(o)}): 1/at(${k + 1}) − 1/at(${k}) must be k/(s·η₀): divide η₀ by 1 + k·t/s, with t/s a real number`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'seed 004: 4489 η₀/(1 + kt): η₀ = 0.1, k = 0.5 gives 0.1, 0.0667, 0.05, 0.025 at t = 0, 1, 2, 6',
    run: () => {
      const schedule = new InverseTimeDecay({ lr: 0.1, decayRate: 0.5 });
      return { rates: ratesAt(schedule, [0, 1, 2, 6], 'InverseTimeDecay'), decaySteps: schedule.decaySteps };
    },
    verify: ({ rates, decaySteps }) => {
      expectClose(
        decaySteps,
        1,
        0,
        'InverseTimeDecay({ lr: 0.1, decayRate: 0.5 }).decaySteps (default 1: t in updates, as 004 counts epochs)',
      );
      expectRates(
        rates,
        [0.1, 0.1 / 1.5, 0.05, 0.025],
        1e-12,
        'InverseTimeDecay({ lr: 0.1, decayRate: 0.5 }).at(0, 1, 2, 6)',
      );
    },
  }),
  knownValue({
    title: 'decaySteps stretches time: k = 1, s = 10 halves η₀ after 10 updates and thirds it after 20',
    run: () =>
      ratesAt(new InverseTimeDecay({ lr: 0.3, decayRate: 1, decaySteps: 10 }), [0, 5, 10, 20], 'InverseTimeDecay'),
    verify: (rates) =>
      expectRates(
        rates,
        [0.3, 0.2, 0.15, 0.1],
        1e-12,
        'InverseTimeDecay({ lr: 0.3, decayRate: 1, decaySteps: 10 }).at(0, 5, 10, 20) = η₀/(1 + t/10)',
      ),
  }),
]);
