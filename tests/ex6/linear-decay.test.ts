import fc from 'fast-check';
import { LinearDecay } from '#impl/schedules/linear-decay.js';
import { componentChecks, drawSamples, expectClose, fail, knownValue, property } from '../harness/index.js';
import { linearDecayRate, type LinearDecayOptions } from '../helpers/schedule-definitions.js';
import { expectRates, ratesAt, scheduleChecks } from '../helpers/schedule-checks.js';

/**
 * Exercise 6, LinearDecay (seed 000: 2414–2428): α[t] = (1 − t/τ)·α[0] + (t/τ)·α[τ] for t ≤ τ, α[τ] after,
 * the first form of 000: 2416 (its second form has a sign error, seeds catalogue §4.10). The worked
 * table for τ = 4 (000: 2422–2428) is a known value. Handout: docs/exercises/6-modern.md#lineardecay
 */
const options: fc.Arbitrary<LinearDecayOptions> = fc
  .record({
    lr: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    fraction: fc.double({ min: 0, max: 0.95, noNaN: true }),
    steps: fc.integer({ min: 1, max: 30 }),
  })
  .map(({ lr, fraction, steps }) => ({ lr, finalLr: lr * fraction, steps }));

const STEPS = Array.from({ length: 40 }, (_, t) => t);

export default componentChecks('ex6', 'LinearDecay', [
  ...scheduleChecks({
    name: 'LinearDecay',
    make: (o) => new LinearDecay(o),
    formula: '(1 − t/τ)·α[0] + (t/τ)·α[τ] for t ≤ τ, α[τ] after',
    rate: linearDecayRate,
    options,
    refusals: [
      { options: { lr: 0, finalLr: 0, steps: 4 }, mentions: 'lr' },
      { options: { lr: 0.1, finalLr: -0.01, steps: 4 }, mentions: 'finalLr' },
      { options: { lr: 0.1, finalLr: 0.2, steps: 4 }, mentions: 'finalLr' },
      { options: { lr: 0.1, finalLr: 0.01, steps: 0 }, mentions: 'steps' },
      { options: { lr: 0.1, finalLr: 0.01, steps: 1.5 }, mentions: 'steps' },
    ],
    training: { options: { lr: 0.5, finalLr: 0.05, steps: 60 }, iterations: 60, accuracy: 0.65 },
  }),
  property({
    title:
      'falls by the same amount (α[τ] − α[0])/τ at each of the first τ updates, stays at α[τ] afterwards, never leaves [α[τ], α[0]]',
    run: (rng) =>
      drawSamples(options, rng, 25).map((o) => ({ o, rates: ratesAt(new LinearDecay(o), STEPS, 'LinearDecay') })),
    verify: (samples) =>
      samples.forEach(({ o, rates }, i) => {
        const what = `sample ${i}: LinearDecay(${JSON.stringify(o)})`;
        rates.forEach((rate, t) => {
          if (rate > o.lr * (1 + 1e-12) || rate < o.finalLr * (1 - 1e-12))
            fail(`${what}.at(${t}) = ${rate} leaves [finalLr, lr] = [${o.finalLr}, ${o.lr}]`);
          if (t === 0) return;
          const expected = t <= o.steps ? (o.finalLr - o.lr) / o.steps : 0;
          expectClose(
            rate - rates[t - 1],
            expected,
            1e-9,
            `${what}: at(${t}) − at(${t - 1}) must be ${t <= o.steps ? '(α[τ] − α[0])/τ' : '0 (after τ the rate stays α[τ])'}; the slope −(α[0] + α[τ])/τ of 000: 2416's second form is a sign error`,
          );
        });
      }),
    hiddenRerun: true,
  }),
  knownValue({
    title:
      'seed 000: 2420–2428, the table for τ = 4: ¾α[0] + ¼α[τ], ½α[0] + ½α[τ], ¼α[0] + ¾α[τ], α[τ], α[τ] (α[0] = 0.8, α[τ] = 0.4)',
    run: () => ratesAt(new LinearDecay({ lr: 0.8, finalLr: 0.4, steps: 4 }), [0, 1, 2, 3, 4, 5, 50], 'LinearDecay'),
    verify: (rates) =>
      expectRates(
        rates,
        [0.8, 0.7, 0.6, 0.5, 0.4, 0.4, 0.4],
        1e-14,
        'LinearDecay({ lr: 0.8, finalLr: 0.4, steps: 4 }).at(0, 1, 2, 3, 4, 5, 50) (000: 2423–2428; the second form of 2416 would give 0.5 at t = 1: it has a sign error)',
      ),
  }),
  knownValue({
    title: "decay to 0: α[0] = 1, α[τ] = 0, τ = 4 gives the table's coefficients of α[0]: 1, ¾, ½, ¼, 0",
    run: () => ratesAt(new LinearDecay({ lr: 1, finalLr: 0, steps: 4 }), [0, 1, 2, 3, 4, 5], 'LinearDecay'),
    verify: (rates) =>
      expectRates(rates, [1, 0.75, 0.5, 0.25, 0, 0], 1e-15, 'LinearDecay({ lr: 1, finalLr: 0, steps: 4 }).at(0 … 5)'),
  }),
]);
