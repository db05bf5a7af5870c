import fc from 'fast-check';
import { expect } from 'vitest';
import { Rng, Tensor, ValueError, type Initializer } from '../../framework/index.js';
import {
  badInput,
  drawSamples,
  expectClose,
  expectError,
  expectFinite,
  fail,
  intIn,
  knownValue,
  property,
  tensorData,
  thrown,
  training,
  type TensorData,
} from '../harness/index.js';
import { describeDraw, expectDraw, moments, type Law } from './distribution.js';

/**
 * The checks every variance-calibrated initializer passes (He, HeUniform, Xavier, XavierUniform),
 * written once; each test file passes what is specific to its initializer and may add checks.
 * Random draws are judged by their distribution (distribution.ts), never value by value: only the
 * student's own draws are compared with each other (the same seed must give the same numbers).
 * Numeric gradients do not apply to an initializer (it has no backward pass); the "training" check
 * tests what the variance calibration is for: the signal keeps its scale through a deep stack.
 */
export interface InitializerContract {
  /** The class name, used in failure messages. */
  readonly name: string;
  readonly initializer: () => Initializer;
  /** 'normal': N(0, σ²) with σ = spread(fanIn, fanOut); 'uniform': U[−r, r) with r = spread(fanIn, fanOut). */
  readonly distribution: 'normal' | 'uniform';
  readonly spread: (fanIn: number, fanOut: number) => number;
  /** The distribution as the handout writes it, e.g. 'N(0, σ²), σ = √(2 / fanIn)'. */
  readonly formula: string;
  /** How the spread uses the fans (DESIGN §3): He looks at fanIn only, Xavier averages both fans. */
  readonly fans: 'fanIn only' | 'both averaged';
  /** The activation the calibration is for: ReLU halves the variance each layer (He), a linear layer keeps it (Xavier). */
  readonly activation: 'ReLU' | 'linear';
}

type AnyCheck = ReturnType<typeof property>;

/** Shapes for the shape and reproducibility law: rank 1 to 4, sides 1 to 5. */
export const SMALL_SHAPES = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

/** Seeds for the `new Rng(seed)` each draw of that law starts from. */
export const RNG_SEEDS = fc.integer({ min: 0, max: 1e6 });

/** Run side of the reproducibility law: two fresh initializers drawing `shape` from the same seed. */
export function drawTwice(
  initializer: () => Initializer,
  shape: readonly number[],
  fanIn: number,
  fanOut: number,
  seed: number,
  what: string,
): { first: TensorData; again: TensorData } {
  return {
    first: tensorData(initializer().initialize(shape, fanIn, fanOut, new Rng(seed)), what),
    again: tensorData(initializer().initialize(shape, fanIn, fanOut, new Rng(seed)), what),
  };
}

/** Verify side of it: the requested shape, and the same numbers from the same seed (`call` names the call). */
export function expectShapeAndSeed(first: TensorData, again: TensorData, shape: readonly number[], call: string): void {
  expect(first.shape, `${call} shape`).toEqual([...shape]);
  expectClose(
    again,
    first,
    0,
    `${call} twice with the same seed: draw every number from the rng you are given (never Math.random)`,
  );
}

/** The law the contract prescribes for these fans. */
export function lawOf(contract: InitializerContract, fanIn: number, fanOut: number): Law {
  const spread = contract.spread(fanIn, fanOut);
  return contract.distribution === 'normal'
    ? { kind: 'normal', sigma: spread }
    : { kind: 'uniform', low: -spread, high: spread };
}

/**
 * The signal-scale check's stack: `batch` inputs through 10 square layers of `width`. Width 100 with 128
 * samples measures the variance about as well as width 200 with 64 did, at under half the cost.
 */
const SIGNAL = { batch: 128, width: 100 } as const;

export function initializerChecks(contract: InitializerContract): AnyCheck[] {
  const { name, formula } = contract;
  const what = `${name}.initialize`;
  const draw = (shape: readonly number[], fanIn: number, fanOut: number, rng: Rng) => ({
    fanIn,
    fanOut,
    summary: describeDraw(
      contract.initializer().initialize(shape, fanIn, fanOut, rng),
      lawOf(contract, fanIn, fanOut),
      what,
    ),
  });
  const verifyDraw = ({ fanIn, fanOut, summary }: ReturnType<typeof draw>, shape: readonly number[]): void => {
    expect(
      summary.shape,
      `${what}(${JSON.stringify(shape)}, ${fanIn}, ${fanOut}) must return the requested shape`,
    ).toEqual([...shape]);
    expectDraw(
      summary,
      lawOf(contract, fanIn, fanOut),
      `${what}(…, fanIn ${fanIn}, fanOut ${fanOut}), which must draw from ${formula}`,
    );
  };
  return [
    property({
      title: 'returns the requested shape, and the same seed gives the same values',
      run: (rng) =>
        drawSamples(
          fc.tuple(SMALL_SHAPES, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), RNG_SEEDS),
          rng,
          25,
        ).map(([shape, fanIn, fanOut, seed]) => ({
          shape,
          fanIn,
          fanOut,
          ...drawTwice(contract.initializer, shape, fanIn, fanOut, seed, what),
        })),
      verify: (samples) =>
        samples.forEach(({ shape, fanIn, fanOut, first, again }, i) => {
          const call = `sample ${i}: ${what}(${JSON.stringify(shape)}, ${fanIn}, ${fanOut}, new Rng(seed))`;
          expectShapeAndSeed(first, again, shape, call);
          expectFinite(first, call);
        }),
      hiddenRerun: true,
      matchReference: false,
    }),
    knownValue({
      title: `draws from ${formula} (fans 50/150, 9/36, 784/10; 50 000 values each, fixed seeds)`,
      weight: 2,
      run: () =>
        [
          [50, 150],
          [9, 36],
          [784, 10],
        ].map(([fanIn, fanOut]) => draw([200, 250], fanIn, fanOut, new Rng(fanIn * 1000 + fanOut))),
      verify: (draws) =>
        draws.forEach((d) => {
          verifyDraw(d, [200, 250]);
        }),
    }),
    property({
      title: `draws from ${formula} for fans drawn from the seed`,
      run: (rng) => [0, 1].map(() => draw([250, 240], intIn(rng, 1, 1000), intIn(rng, 1, 1000), rng.fork())),
      verify: (draws) =>
        draws.forEach((d) => {
          verifyDraw(d, [250, 240]);
        }),
      hiddenRerun: true,
      matchReference: false,
    }),
    contract.fans === 'fanIn only'
      ? knownValue({
          title:
            'ignores fanOut, as DESIGN §3 says: fanIn 30 with fanOut 5 and with fanOut 500 draw from the same distribution',
          run: () => [5, 500].map((fanOut) => draw([200, 250], 30, fanOut, new Rng(4))),
          verify: (draws) =>
            draws.forEach((d) => {
              verifyDraw(d, [200, 250]);
            }),
        })
      : knownValue({
          title:
            'averages both fans, as DESIGN §3 says: fanIn 30, fanOut 270 and the swapped fans draw from the same distribution',
          run: () =>
            [
              [30, 270],
              [270, 30],
            ].map(([fanIn, fanOut]) => draw([200, 250], fanIn, fanOut, new Rng(4))),
          verify: (draws) =>
            draws.forEach((d) => {
              verifyDraw(d, [200, 250]);
            }),
        }),
    badInput({
      title: 'rejects fans that are not positive integers',
      run: () => {
        // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
        const shape = tensorData(contract.initializer().initialize([2, 3], 2, 3, new Rng(1)), what).shape;
        return {
          shape,
          zeroFanIn: thrown(() => contract.initializer().initialize([2, 2], 0, 3, new Rng(1))),
          fractionalFanOut: thrown(() => contract.initializer().initialize([2, 2], 3, 1.5, new Rng(1))),
        };
      },
      verify: ({ shape, zeroFanIn, fractionalFanOut }) => {
        expect(shape, `${what}([2, 3], 2, 3, rng) shape`).toEqual([2, 3]);
        expectError(zeroFanIn, ValueError.name, `${what}([2, 2], 0, 3, rng)`, ['fanIn must be a positive integer']);
        expectError(fractionalFanOut, ValueError.name, `${what}([2, 2], 3, 1.5, rng)`, [
          'fanOut must be a positive integer',
        ]);
      },
    }),
    training({
      title: `keeps the signal’s scale through 10 ${contract.activation} layers of width ${SIGNAL.width} (004: 3966–3980)`,
      // Test-local layers: x ← act(x·W) with W from the initializer under test; the variance after each
      // layer relative to the input's (for ReLU, relative to half of it: a ReLU keeps half of a
      // zero-mean signal's second moment, and He's factor 2 makes up for exactly that).
      run: () => {
        const relu = contract.activation === 'ReLU';
        const rng = new Rng(21);
        const { batch, width } = SIGNAL;
        let x = rng.normalTensor([batch, width]);
        const start = moments(x.data).variance / (relu ? 2 : 1);
        const ratios: number[] = [];
        for (let layer = 0; layer < 10; layer++) {
          const w = Float64Array.from(
            tensorData(contract.initializer().initialize([width, width], width, width, rng), what).data,
          );
          const input = x.data;
          const y = new Float64Array(batch * width);
          for (let b = 0; b < batch; b++)
            for (let i = 0; i < width; i++) {
              const xi = input[b * width + i];
              for (let j = 0; j < width; j++) y[b * width + j] += xi * w[i * width + j];
            }
          if (relu) for (let k = 0; k < y.length; k++) y[k] = Math.max(0, y[k]);
          x = new Tensor([batch, width], y);
          ratios.push(moments(x.data).variance / start);
        }
        return { ratios };
      },
      verify: ({ ratios }) => {
        const last = ratios.at(-1)!;
        const trace = ratios.map((r) => r.toPrecision(3)).join(', ');
        if (!(last > 0.4 && last < 2.5)) {
          fail(
            `${name}: after 10 ${contract.activation} layers of width ${SIGNAL.width} the activations' variance changed by a factor ${last.toPrecision(3)} (layer by layer: ${trace}); a correct σ keeps it near 1, a wrong one explodes or vanishes`,
          );
        }
      },
    }),
  ];
}
