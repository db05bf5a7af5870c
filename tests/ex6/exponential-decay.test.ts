import fc from 'fast-check';
import { ExponentialDecay } from '#impl/schedules/exponential-decay.js';
import { componentChecks, drawSamples, expectClose, knownValue, property } from '../harness/index.js';
import { exponentialDecayRate, type ExponentialDecayOptions } from '../helpers/schedule-definitions.js';
import { expectRates, PROBE_STEPS, ratesAt, scheduleChecks } from '../helpers/schedule-checks.js';

/**
 * Exercise 6, ExponentialDecay: η(t) = η₀·r^(t/s) (seed 003: 541–543; 004: 4488 with r = e^(−k), s = 1),
 * t counting updates from 0, the exponent never rounded. Handout: docs/exercises/6-modern.md#exponentialdecay
 */
const options: fc.Arbitrary<ExponentialDecayOptions> = fc.record({
  lr: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  decaySteps: fc.integer({ min: 2, max: 200 }),
  decayRate: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
});

export default componentChecks('ex6', 'ExponentialDecay', [
  ...scheduleChecks({
    name: 'ExponentialDecay',
    make: (o) => new ExponentialDecay(o),
    formula: 'η₀·r^(t/s)',
    rate: exponentialDecayRate,
    options,
    refusals: [
      { options: { lr: -0.1, decaySteps: 10 }, mentions: 'lr' },
      { options: { lr: 0.1, decaySteps: 0 }, mentions: 'decaySteps' },
      { options: { lr: 0.1, decaySteps: 10, decayRate: 0 }, mentions: 'decayRate' },
      { options: { lr: 0.1, decaySteps: 10, decayRate: 2 }, mentions: 'decayRate' },
    ],
    training: { options: { lr: 0.5, decaySteps: 60, decayRate: 0.3 }, iterations: 60, accuracy: 0.65 },
  }),
  property({
    title: 'decays a little at every update: at(t+1)/at(t) is the same r^(1/s) for every t (no staircase)',
    run: (rng) =>
      drawSamples(options, rng, 25).map((o) => ({
        o,
        rates: ratesAt(new ExponentialDecay(o), PROBE_STEPS.slice(0, 13), 'ExponentialDecay'),
      })),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        const ratio = (o.decayRate ?? 0.1) ** (1 / o.decaySteps);
        rates.slice(1).forEach((rate, k) => {
          expectClose(
            rate / rates[k],
            ratio,
            1e-12,
            `sample ${i}: ExponentialDecay(${JSON.stringify(o)}).at(${k + 1}) / at(${k}) must be r^(1/s) = ${ratio}: the exponent is t/s, a real number (⌊t/s⌋ decays once per s updates, like StepDecay)`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title: 'seed 003: 542: η₀·0.1^(t/s) "drops by a factor of 10 every s steps": η₀ = 0.01, s = 100',
    run: () => {
      const schedule = new ExponentialDecay({ lr: 0.01, decaySteps: 100 });
      return { rates: ratesAt(schedule, [0, 50, 100, 200, 1], 'ExponentialDecay'), decayRate: schedule.decayRate };
    },
    verify: ({ rates: [at0, at50, at100, at200, at1], decayRate }) => {
      expectClose(decayRate, 0.1, 0, 'ExponentialDecay({ lr: 0.01, decaySteps: 100 }).decayRate (default, 003: 542)');
      expectClose(at0, 0.01, 1e-15, 'at(0)');
      expectClose(
        at50,
        0.01 * 10 ** -0.5,
        1e-12,
        'at(50) = 0.01·0.1^0.5 ≈ 0.0031623: halfway to the next factor of 10, not still 0.01 (the exponent t/s is not rounded down)',
      );
      expectClose(at100, 0.001, 1e-12, 'at(100) = 0.01·0.1');
      expectClose(at200, 1e-4, 1e-12, 'at(200) = 0.01·0.1²');
      expectClose(at1, 0.01 * 0.1 ** 0.01, 1e-12, 'at(1) = 0.01·0.1^(1/100)');
    },
  }),
  knownValue({
    title: 'seed 004: 4488: η₀·e^(−kt) is decayRate = e^(−k), decaySteps = 1 (k = 0.5)',
    run: () =>
      ratesAt(
        new ExponentialDecay({ lr: 2, decaySteps: 1, decayRate: Math.exp(-0.5) }),
        [0, 1, 2, 4],
        'ExponentialDecay',
      ),
    verify: (rates) =>
      expectRates(
        rates,
        [2, 2 * Math.exp(-0.5), 2 * Math.exp(-1), 2 * Math.exp(-2)],
        1e-12,
        'ExponentialDecay({ lr: 2, decaySteps: 1, decayRate: e^(−0.5) }).at(0, 1, 2, 4)',
      ),
  }),
]);
