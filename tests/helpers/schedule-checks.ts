import type fc from 'fast-check';
import { expect } from 'vitest';
import {
  BaseOptimizer,
  type LearningRateSchedule,
  type Parameter,
  type Rng,
  Tensor,
  ValueError,
} from '../../framework/index.js';
import {
  accuracyOf,
  badInput,
  drawSamples,
  expectClose,
  expectError,
  fail,
  numberData,
  property,
  thrown,
  training,
  type ErrorData,
} from '../harness/index.js';
import { glyphTraining } from './optimizer-checks.js';

/**
 * The checks every Exercise 6 learning-rate schedule passes alike (each test file adds its seed's
 * known values and its own laws). `run` asks the student's schedule for rates; `verify` compares them
 * with the formula written out independently in schedule-definitions.ts. Schedules have no backward
 * pass, so there is no gradient check; the training check drives a test-local optimizer with the
 * schedule, never the student's own Sgd.
 */
export interface ScheduleSpec<O extends { lr: number }> {
  /** The component (class) name. */
  readonly name: string;
  /** Builds the student's schedule. */
  readonly make: (options: O) => LearningRateSchedule;
  /** The formula as the handout writes it, for failure messages. */
  readonly formula: string;
  /** The independent definition (tests/helpers/schedule-definitions.ts). */
  readonly rate: (options: O, step: number) => number;
  /** Valid options drawn from a check's seed. */
  readonly options: fc.Arbitrary<O>;
  /** Options the constructor refuses with a ValueError whose message mentions `mentions`. */
  readonly refusals: readonly { readonly options: Record<string, unknown>; readonly mentions: string }[];
  /** The training check: options (lr ≈ 0.5 suits the glyph network), steps and test accuracy. */
  readonly training: { readonly options: O; readonly iterations: number; readonly accuracy: number };
}

type AnyCheck = ReturnType<typeof property>;

/** Steps every schedule is asked about: the first dozen updates and a few far ones. */
export const PROBE_STEPS: readonly number[] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 17, 25, 40, 63, 100, 257, 1000,
];

/** Run side: the rates of `schedule` at `steps`, each checked to be a number. */
export function ratesAt(schedule: LearningRateSchedule, steps: readonly number[], what: string): number[] {
  return steps.map((step) => numberData(schedule.at(step), `${what}.at(${step})`));
}

/**
 * A test-local SGD (w ← w − η·g) that records the learning rate BaseOptimizer hands it at each step:
 * with `{ schedule }`, update k reads schedule.at(k).
 */
export class RecordingScheduledSgd extends BaseOptimizer {
  readonly name = 'RecordingScheduledSgd (test double)';
  readonly rates: number[] = [];

  constructor(options: { lr: number; schedule: LearningRateSchedule }) {
    super(options.lr, options);
  }

  override step(parameters: readonly Parameter[]): void {
    this.rates.push(this.learningRate);
    super.step(parameters);
  }

  protected update(value: Tensor, grad: Tensor): Tensor {
    const rate = this.learningRate;
    return new Tensor(
      value.shape,
      value.data.map((w, i) => w - grad.data[i] * rate),
    );
  }
}

const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

export function scheduleChecks<O extends { lr: number }>(spec: ScheduleSpec<O>): AnyCheck[] {
  const { name } = spec;
  const show = (options: unknown): string => JSON.stringify(options);
  /** Run side of the laws: options drawn from the check's seed, and the rates at PROBE_STEPS under each. */
  const sampledRates = (rng: Rng) =>
    drawSamples(spec.options, rng, 25).map((options) => ({
      options,
      rates: ratesAt(spec.make(options), PROBE_STEPS, name),
    }));
  /** Verify side of a refusal check's valid first call: the rate at `step` under the training options. */
  const expectTrainingRateAt = (received: number, step: number): void =>
    expectClose(
      received,
      spec.rate(spec.training.options, step),
      1e-12,
      `new ${name}(${show(spec.training.options)}).at(${step})`,
    );
  return [
    property({
      title: `follows ${spec.formula} at steps 0–12 and far out (options drawn from the seed)`,
      weight: 2,
      run: sampledRates,
      verify: (samples) =>
        samples.forEach(({ options, rates }, i) => {
          PROBE_STEPS.forEach((step, k) => {
            expectClose(
              rates[k],
              spec.rate(options, step),
              1e-12,
              `sample ${i}: new ${name}(${show(options)}).at(${step}); the formula is ${spec.formula}`,
            );
          });
        }),
      hiddenRerun: true,
    }),
    property({
      title: 'the first update (step 0) uses the base rate lr, and every rate is finite and ≥ 0',
      run: sampledRates,
      verify: (samples) =>
        samples.forEach(({ options, rates }, i) => {
          expectClose(
            rates[0],
            options.lr,
            1e-15,
            `sample ${i}: new ${name}(${show(options)}).at(0) must be lr: steps count updates from 0, and update 0 uses the base rate (docs/conventions.md, Exercise 6); an off-by-one step gives at(1)'s rate`,
          );
          rates.forEach((rate, k) => {
            if (!(Number.isFinite(rate) && rate >= 0))
              fail(
                `sample ${i}: new ${name}(${show(options)}).at(${PROBE_STEPS[k]}) is ${rate}; a learning rate is a finite number ≥ 0`,
              );
          });
        }),
      hiddenRerun: true,
    }),
    badInput({
      title: 'at() refuses a negative, a fractional and a NaN step with a ValueError',
      run: () => {
        const schedule = spec.make(spec.training.options);
        // A valid call first: on the stub this fails with NotImplementedError rather than scoring for given code.
        const first = numberData(schedule.at(3), `${name}.at(3)`);
        return { first, errors: [-1, 2.5, NaN].map((step) => thrown(() => schedule.at(step))) };
      },
      verify: ({ first, errors }) => {
        expectTrainingRateAt(first, 3);
        ['-1', '2.5', 'NaN'].forEach((step, i) => {
          expectError(errors[i], ValueError.name, `${name}.at(${step})`, ['step']);
        });
      },
    }),
    badInput({
      title: `refuses bad options (${spec.refusals.map((refusal) => show(refusal.options)).join(', ')})`,
      run: () => {
        const first = numberData(spec.make(spec.training.options).at(1), `${name}.at(1)`);
        const errors: (ErrorData | null)[] = spec.refusals.map((refusal) =>
          thrown(() => spec.make(refusal.options as unknown as O)),
        );
        return { first, errors };
      },
      verify: ({ first, errors }) => {
        expectTrainingRateAt(first, 1);
        spec.refusals.forEach((refusal, i) => {
          expectError(errors[i], ValueError.name, `new ${name}(${show(refusal.options)})`, [refusal.mentions]);
        });
      },
    }),
    training({
      title: `drives a test-local SGD on a 64 → 32 → 10 glyph network: update k uses at(k), ≥ ${spec.training.accuracy} test accuracy in ${spec.training.iterations} steps`,
      run: (rng) => {
        const schedule = spec.make(spec.training.options);
        const optimizer = new RecordingScheduledSgd({ lr: spec.training.options.lr, schedule });
        const result = glyphTraining(optimizer, rng, spec.training.iterations, `a test-local SGD with ${name}`);
        return { ...result, rates: optimizer.rates };
      },
      verify: ({ scores, labels, firstLosses, lastLosses, rates }) => {
        const { options, iterations, accuracy } = spec.training;
        if (rates.length !== iterations) fail(`expected ${iterations} updates, the optimizer recorded ${rates.length}`);
        rates.forEach((rate, k) => {
          expectClose(
            rate,
            spec.rate(options, k),
            1e-12,
            `the learning rate of update ${k} with new ${name}(${show(options)}); the formula is ${spec.formula}`,
          );
        });
        expect(
          mean(lastLosses),
          `the training loss should fall; it went from ${mean(firstLosses).toFixed(3)} to ${mean(lastLosses).toFixed(3)}`,
        ).toBeLessThan(0.5 * mean(firstLosses));
        expect(
          accuracyOf(scores, labels),
          `test accuracy on 200 held-out digit glyphs after ${iterations} steps with ${name} (chance is 0.1)`,
        ).toBeGreaterThanOrEqual(accuracy);
      },
      matchReference: false,
    }),
  ];
}

/** Verify side: a list of rates against the expected ones, element by element. */
export function expectRates(
  received: readonly number[],
  expected: readonly number[],
  tolerance: number,
  what: string,
): void {
  if (!Array.isArray(received) || received.length !== expected.length)
    fail(`${what}: expected ${expected.length} rates, received ${JSON.stringify(received)}`);
  expected.forEach((value, i) => {
    expectClose(
      received[i],
      value,
      tolerance,
      `${what}: rate ${i} of [${received.join(', ')}] (expected [${expected.join(', ')}])`,
    );
  });
}
