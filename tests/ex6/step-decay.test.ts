import fc from 'fast-check';
import { StepDecay } from '#impl/schedules/step-decay.js';
import { componentChecks, drawSamples, expectClose, fail, knownValue, property } from '../harness/index.js';
import { stepDecayRate, type StepDecayOptions } from '../helpers/schedule-definitions.js';
import { expectRates, PROBE_STEPS, ratesAt, scheduleChecks } from '../helpers/schedule-checks.js';

/**
 * Exercise 6, StepDecay: η(t) = η₀·γ^⌊t/n⌋ (seed 004: 4486; 004: 2406; 003: 529–533), t counting
 * updates from 0. Handout: docs/exercises/6-modern.md#stepdecay
 */
const options: fc.Arbitrary<StepDecayOptions> = fc.record({
  lr: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  stepSize: fc.integer({ min: 1, max: 20 }),
  factor: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

export default componentChecks('ex6', 'StepDecay', [
  ...scheduleChecks({
    name: 'StepDecay',
    make: (o) => new StepDecay(o),
    formula: 'η₀·γ^⌊t/n⌋',
    rate: stepDecayRate,
    options,
    refusals: [
      { options: { lr: 0, stepSize: 5 }, mentions: 'lr' },
      { options: { lr: 0.1, stepSize: 0 }, mentions: 'stepSize' },
      { options: { lr: 0.1, stepSize: 2.5 }, mentions: 'stepSize' },
      { options: { lr: 0.1, stepSize: 5, factor: 1.5 }, mentions: 'factor' },
      { options: { lr: 0.1, stepSize: 5, factor: 0 }, mentions: 'factor' },
    ],
    training: { options: { lr: 0.5, stepSize: 30, factor: 0.5 }, iterations: 60, accuracy: 0.65 },
  }),
  property({
    title: 'constant within each block of stepSize updates, then multiplied by exactly γ (never decays in between)',
    run: (rng) =>
      drawSamples(options, rng, 25).map((o) => ({
        o,
        rates: ratesAt(new StepDecay(o), PROBE_STEPS.slice(0, 13), 'StepDecay'),
      })),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        rates.slice(1).forEach((rate, k) => {
          const step = k + 1;
          const expected = step % o.stepSize === 0 ? rates[k] * (o.factor ?? 0.1) : rates[k];
          expectClose(
            rate,
            expected,
            1e-12,
            `sample ${i}: StepDecay(${JSON.stringify(o)}).at(${step}) against at(${step - 1}): the rate changes only when t reaches a multiple of stepSize = ${o.stepSize} (⌊t/n⌋, not t/n)`,
          );
          if (rate > rates[k])
            fail(
              `sample ${i}: StepDecay.at(${step}) = ${rate} is larger than at(${step - 1}) = ${rates[k]}; a decay never grows`,
            );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'seed 003: 529–533: η₀ = 0.01 for 5 epochs, then η₁ = 0.0001 (stepSize 5, factor 0.01, one update per epoch)',
    run: () => ratesAt(new StepDecay({ lr: 0.01, stepSize: 5, factor: 0.01 }), [0, 4, 5, 9, 10], 'StepDecay'),
    verify: ([at0, at4, at5, at9, at10]) => {
      expectClose(at0, 0.01, 1e-15, 'StepDecay({ lr: 0.01, stepSize: 5, factor: 0.01 }).at(0)');
      expectClose(at4, 0.01, 1e-15, 'at(4): the fifth update still uses η₀ (⌊4/5⌋ = 0)');
      expectClose(at5, 1e-4, 1e-12, 'at(5): the sixth update uses η₁ = 0.01·0.01');
      expectClose(at9, 1e-4, 1e-12, 'at(9): still η₁');
      expectClose(at10, 1e-6, 1e-12, 'at(10): η₀·0.01²');
    },
  }),
  knownValue({
    title: 'seed 004: 2406 "start with η = 0.01 and divide every x epoch by 10": the default factor is 0.1 (x = 3)',
    run: () => {
      const schedule = new StepDecay({ lr: 0.01, stepSize: 3 });
      return { rates: ratesAt(schedule, [0, 2, 3, 5, 6], 'StepDecay'), factor: schedule.factor };
    },
    verify: ({ rates, factor }) => {
      expectClose(factor, 0.1, 0, 'StepDecay({ lr: 0.01, stepSize: 3 }).factor (default)');
      expectRates(
        rates,
        [0.01, 0.01, 0.001, 0.001, 1e-4],
        1e-12,
        'StepDecay({ lr: 0.01, stepSize: 3 }).at(0, 2, 3, 5, 6)',
      );
    },
  }),
  knownValue({
    title: 'seed 004: 4486 "reduce learning rate by a certain factor, e.g. 0.5": 1, 1, 0.5, 0.5, 0.25 (stepSize 2)',
    run: () => ratesAt(new StepDecay({ lr: 1, stepSize: 2, factor: 0.5 }), [0, 1, 2, 3, 4], 'StepDecay'),
    verify: (rates) =>
      expectRates(rates, [1, 1, 0.5, 0.5, 0.25], 1e-15, 'StepDecay({ lr: 1, stepSize: 2, factor: 0.5 }).at(0 … 4)'),
  }),
]);
