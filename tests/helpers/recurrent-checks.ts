import fc from 'fast-check';
import { expect } from 'vitest';
import { Rng, ShapeError, StateError, tensor, zeros, type Tensor } from '../../framework/index.js';
import { badInput, gradient, knownValue, property } from '../harness/checks.js';
import { drawSamples } from '../harness/samples.js';
import { gradientData, intIn, parameterData, tensorData, thrown, type TensorData } from '../harness/data.js';
import { expectClose, expectError, fail } from '../harness/verify.js';
import { expectRecurrentGradientsMatch, recurrentGradients, type StateUnderCheck } from './recurrent-gradient.js';
import {
  expectKnownOutput,
  expectRecurrentPass,
  GATES,
  matches,
  PARAMETER_NAMES,
  recurrentDefinition,
  type RecurrentKind,
} from './recurrent-definition.js';
import {
  backwardRecord,
  forwardPass,
  layerWithWeights,
  optionalTensor,
  parameterNamed,
  randomLayer,
  recurrentPass,
  SIZES,
  type RecurrentConstructor,
  type RecurrentLayerLike,
} from './recurrent-passes.js';
import { REFERENCE_BY, REFERENCE_G, REFERENCE_WHY, REFERENCE_X, sliceTime } from './sequence-slices.js';

/**
 * The checks RNN, LSTM and GRU share, written once for the three of them (tests/ex4/{rnn,lstm,gru}.test.ts
 * spread them into their own list and add the cell's own known values and laws): shapes and parameters,
 * one step and whole sequences forward and backward through time against the definition written out
 * with loops (recurrent-definition.ts), stateful runs and truncated BPTT, accumulation, a cut history,
 * centred differences on the input, every parameter and the initial state(s), the independent NumPy
 * reference, and the refusals of bad input. What differs between the cells comes in a `RecurrentSpec`.
 */

type Expected = Parameters<typeof expectClose>[1];

/** The recurrent layer under test, as its test file describes it. */
export interface RecurrentSpec {
  readonly kind: RecurrentKind;
  /** The student's class, imported by the test file. */
  readonly Layer: RecurrentConstructor;
  /** The gradient checks' limit on the relative error (docs/conventions.md). */
  readonly threshold: number;
  /** The length-1 check: its title (the cell's step, with the seed lines that give it) and weight. */
  readonly oneStep: { readonly title: string; readonly weight: number };
  /**
   * Besides zero recurrent weights, what keeps the old state out of h_t (the LSTM's forget gate, the
   * GRU's update gate): `title` and `says` name it in the check's title and messages, `apply` sets it.
   */
  readonly gate?: {
    readonly title: string;
    readonly says: string;
    readonly apply: (layer: RecurrentLayerLike) => void;
  };
  /** tests/ex4/reference/recurrent_reference.py: the cell's weights there (Why and by are shared) and what it printed. */
  readonly reference: {
    readonly weights: Readonly<Record<string, Tensor>>;
    /** "<kind> output". */
    readonly output: Expected;
    /** "<kind> gradient of … for upstream G": ∂L/∂x, each parameter's gradient by name, ∂L/∂h_0 (∂L/∂c_0). */
    readonly gradients: {
      readonly dx: Expected;
      readonly grads: Readonly<Record<string, Expected>>;
      readonly dh0: Expected;
      readonly dc0?: Expected;
    };
  };
}

const twice = (t: TensorData): TensorData => ({ shape: t.shape, data: t.data.map((v) => 2 * v) });

/** The checks every recurrent layer of Exercise 4 gets. */
export function sharedRecurrentChecks(spec: RecurrentSpec) {
  const { kind, Layer, threshold } = spec;
  const states = kind === 'LSTM' ? 'h_0 and c_0' : 'h_0';
  const definitionCheck = (title: string, shape: (rng: Rng) => { batch: number; time: number }, initial = true) =>
    property({
      title,
      weight: 2,
      run: (rng) => recurrentPass(kind, randomLayer(Layer, rng), rng, { ...shape(rng), initial }),
      verify: (pass) => expectRecurrentPass(kind, pass, title.split(':')[0]),
      hiddenRerun: true,
    });
  return [
    shapesCheck(spec),
    property({
      title: spec.oneStep.title,
      weight: spec.oneStep.weight,
      run: (rng) =>
        drawSamples(fc.integer({ min: 0, max: 1000 }), rng, 20).map((seed) => {
          const draw = new Rng(seed);
          return recurrentPass(kind, new Layer({ ...SIZES, rng: draw }), draw, { batch: 2, time: 1, backward: false });
        }),
      verify: (samples) =>
        samples.forEach((pass, i) => {
          expectRecurrentPass(kind, pass, `sample ${i}`);
        }),
      hiddenRerun: true,
    }),
    definitionCheck(
      `one step of one sequence from a given ${states}: forward, backward, ∂L/∂x, every parameter gradient and ∂L/∂${states.replace(' and ', ', ∂L/∂')}`,
      () => ({ batch: 1, time: 1 }),
    ),
    definitionCheck(
      `two steps, batch of 3, from a given ${states}: forward and backward through time agree with the definition`,
      () => ({ batch: 3, time: 2 }),
    ),
    definitionCheck(
      `seven steps on random sizes from a given ${states}: forward and backward through time agree with the definition`,
      (rng) => ({ batch: intIn(rng, 1, 3), time: 7 }),
    ),
    definitionCheck(
      `without initialState${kind === 'LSTM' ? ' and initialCell' : ''} the first step starts from zeros: forward and backward agree with the definition`,
      (rng) => ({ batch: intIn(rng, 1, 3), time: intIn(rng, 1, 5) }),
      false,
    ),
    property({
      title:
        'stateful: a random split gives the outputs of the whole sequence, and backward after it stops at the call boundary (truncated BPTT)',
      weight: 2,
      run: (rng) => {
        const layer = randomLayer(Layer, rng, true);
        const batch = intIn(rng, 1, 3);
        const time = intIn(rng, 2, 8);
        const split = intIn(rng, 1, time - 1);
        const x = rng.normalTensor([batch, time, layer.inputSize]);
        const weights = parameterData(layer.parameters(), `${kind}.parameters()`);
        const carried = () => ({
          h: optionalTensor(layer.initialState, `${kind}.initialState`),
          c: kind === 'LSTM' ? optionalTensor(layer.initialCell, `${kind}.initialCell`) : null,
        });
        const first = tensorData(layer.forward(sliceTime(x, 0, split)), `${kind}.forward (first part)`);
        const afterFirst = carried();
        const second = tensorData(layer.forward(sliceTime(x, split, time)), `${kind}.forward (second part)`);
        const afterSecond = carried();
        const upstream = rng.normalTensor([batch, time - split, layer.outputSize]);
        return {
          weights,
          x1: tensorData(sliceTime(x, 0, split), 'x'),
          x2: tensorData(sliceTime(x, split, time), 'x'),
          first,
          second,
          afterFirst,
          afterSecond,
          backward: backwardRecord(kind, layer, upstream, `${kind}.backward (second part)`),
        };
      },
      verify: ({ weights, x1, x2, first, second, afterFirst, afterSecond, backward }) => {
        expectRecurrentPass(kind, { weights, x: x1, h0: null, c0: null, y: first }, 'the first part');
        const one = recurrentDefinition(kind, { weights, x: x1, h0: null, c0: null });
        const carriedState = (
          after: { h: TensorData | null; c: TensorData | null },
          want: typeof one,
          part: string,
        ) => {
          if (!matches(after.h, want.hT))
            fail(
              `a stateful ${kind} must keep the last hidden state h_T of the ${part} in initialState after forward; it holds ${
                after.h === null
                  ? 'nothing'
                  : `[${after.h.data
                      .slice(0, 6)
                      .map((v) => v.toPrecision(4))
                      .join(', ')}…]`
              }`,
            );
          if (kind === 'LSTM' && !matches(after.c, want.cT!))
            fail(`a stateful LSTM must also keep the last cell state c_T of the ${part} in initialCell after forward`);
        };
        carriedState(afterFirst, one, 'first part');
        if (
          matches(second, recurrentDefinition(kind, { weights, x: x2, h0: null, c0: null }).y) &&
          !matches(second, recurrentDefinition(kind, { weights, x: x2, h0: one.hT, c0: one.cT ?? null }).y)
        ) {
          fail(
            `the second forward of a stateful ${kind} started from zeros: it must start from the state the first call left in initialState${kind === 'LSTM' ? ' and initialCell' : ''}`,
          );
        }
        expectRecurrentPass(
          kind,
          { weights, x: x2, h0: one.hT, c0: one.cT ?? null, y: second, backward },
          'the second part, which starts from the carried state (its gradient stops there; gradInitialState holds ∂L/∂h at the boundary)',
        );
        carriedState(
          afterSecond,
          recurrentDefinition(kind, { weights, x: x2, h0: one.hT, c0: one.cT ?? null }),
          'second part',
        );
      },
      hiddenRerun: true,
    }),
    property({
      title: 'with stateful, two halves give the same outputs as the whole sequence',
      run: (rng) =>
        drawSamples(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 })), rng, 20).map(
          ([split, seed]) => {
            const whole = new Layer({ ...SIZES, rng: new Rng(seed) });
            const halves = new Layer({ ...SIZES, rng: new Rng(seed), stateful: true });
            const x = new Rng(seed + 1).normalTensor([2, 7, 3]);
            const all = tensorData(whole.forward(x), `${kind}.forward (whole)`);
            const first = tensorData(halves.forward(sliceTime(x, 0, split)), `${kind}.forward (first part)`);
            const second = tensorData(halves.forward(sliceTime(x, split, 7)), `${kind}.forward (second part)`);
            return { split, all, first, second };
          },
        ),
      verify: (samples) =>
        samples.forEach(({ split, all, first, second }, i) => {
          const part = (from: number, to: number): TensorData => ({
            shape: [2, to - from, 2],
            data: [0, 1].flatMap((b) => all.data.slice((b * 7 + from) * 2, (b * 7 + to) * 2)),
          });
          expectClose(first, part(0, split), 1e-12, `sample ${i}: stateful ${kind}, first ${split} steps`);
          expectClose(
            second,
            part(split, 7),
            1e-12,
            `sample ${i}: stateful ${kind}, the steps after ${split}: the last state of the first call must become the next call's initialState${kind === 'LSTM' ? ' (h_T and c_T both)' : ''}`,
          );
        }),
      hiddenRerun: true,
    }),
    property({
      title: 'backward accumulates: two backward calls give twice the parameter gradients',
      run: () => {
        const rng = new Rng(3);
        const layer = new Layer({ ...SIZES, rng });
        const gradOutput = rng.normalTensor([2, 4, 2]);
        layer.forward(rng.normalTensor([2, 4, 3]));
        layer.backward(gradOutput);
        const once = gradientData(layer.parameters(), `${kind}.backward`);
        layer.backward(gradOutput);
        return { once, twice: gradientData(layer.parameters(), `${kind}.backward (twice)`) };
      },
      verify: ({ once, twice: both }) =>
        Object.keys(once).forEach((name) => {
          expectClose(
            both[name],
            twice(once[name]),
            1e-12,
            `${kind}.backward twice: gradient of '${name}' must be added to .grad (accumulate), not assigned`,
          );
        }),
    }),
    property({
      title:
        "stateful truncated BPTT: the second call's gradients equal those of a fresh layer started from the carried state",
      run: () => {
        const rng = new Rng(5);
        const stateful = new Layer({ ...SIZES, rng: new Rng(9), stateful: true });
        const fresh = new Layer({ ...SIZES, rng: new Rng(9) });
        const x = rng.normalTensor([2, 6, 3]);
        const gradOutput = rng.normalTensor([2, 3, 2]);
        stateful.forward(sliceTime(x, 0, 3));
        const carried = { h: stateful.initialState, c: stateful.initialCell };
        stateful.forward(sliceTime(x, 3, 6));
        const afterSplit = backwardRecord(kind, stateful, gradOutput);
        fresh.initialState = carried.h;
        if (kind === 'LSTM') fresh.initialCell = carried.c;
        fresh.forward(sliceTime(x, 3, 6));
        return {
          carried: carried.h !== undefined && (kind !== 'LSTM' || carried.c !== undefined),
          stateful: afterSplit,
          fresh: backwardRecord(kind, fresh, gradOutput),
        };
      },
      verify: ({ carried, stateful, fresh }) => {
        expect(
          carried,
          `a stateful ${kind} must keep h_T${kind === 'LSTM' ? ' and c_T' : ''} in initialState${kind === 'LSTM' ? '/initialCell' : ''} after forward`,
        ).toBe(true);
        for (const name of Object.keys(fresh.grads))
          expectClose(
            stateful.grads[name],
            fresh.grads[name],
            1e-12,
            `truncated BPTT, gradient of '${name}': backward of the second call must not reach into the first`,
          );
        if (!fresh.dh0 || !stateful.dh0) fail(`${kind}.backward left gradInitialState undefined`);
        expectClose(stateful.dh0, fresh.dh0, 1e-12, 'truncated BPTT, gradInitialState');
        if (kind === 'LSTM') {
          if (!fresh.dc0 || !stateful.dc0) fail('LSTM.backward left gradInitialCell undefined');
          expectClose(stateful.dc0, fresh.dc0, 1e-12, 'truncated BPTT, gradInitialCell');
        }
        expect(stateful.dx.shape, `a stateful ${kind}.backward returns ∂L/∂x of the second call's input only`).toEqual([
          2, 3, 3,
        ]);
      },
    }),
    ...[1, 2, 7].flatMap((time) =>
      [1, 3].map((batch) =>
        gradient({
          title: `input, every parameter and ${states} match centred differences (time ${time}, batch ${batch})`,
          run: () => {
            const rng = new Rng(100 * time + batch);
            const layer = new Layer({ ...SIZES, rng });
            layer.initialState = rng.normalTensor([batch, 4], 0, 0.5);
            const checked: StateUnderCheck[] = [
              { name: 'initialState', value: layer.initialState, gradient: () => layer.gradInitialState },
            ];
            if (kind === 'LSTM') {
              layer.initialCell = rng.normalTensor([batch, 4], 0, 0.5);
              checked.push({ name: 'initialCell', value: layer.initialCell, gradient: () => layer.gradInitialCell });
            }
            return recurrentGradients(layer, rng.normalTensor([batch, time, 3]), checked);
          },
          verify: (data) => expectRecurrentGradientsMatch(data, threshold),
        }),
      ),
    ),
    historyCheck(spec),
    ...referenceChecks(spec),
    badInput({
      title: 'explains wrong shapes, backward before forward and a carried state of another batch size',
      run: () => {
        const layer = new Layer({ ...SIZES, rng: new Rng(1), stateful: true });
        const early = thrown(() => layer.backward(zeros([1, 1, 2])));
        // A valid call first: on the stub this check fails with NotImplementedError instead of scoring for given code.
        const shape = tensorData(layer.forward(zeros([2, 3, 3])), `${kind}.forward`).shape;
        const wrongInput = thrown(() => layer.forward(zeros([2, 5, 4])));
        const wrongGradient = thrown(() => layer.backward(zeros([2, 4, 2])));
        const otherBatch = thrown(() => layer.forward(zeros([5, 3, 3])));
        layer.resetState();
        const afterReset = tensorData(
          layer.forward(tensor(new Array(45).fill(0.1), [5, 3, 3])),
          `${kind}.forward after resetState`,
        ).shape;
        return { early, shape, wrongInput, wrongGradient, otherBatch, afterReset };
      },
      verify: ({ early, shape, wrongInput, wrongGradient, otherBatch, afterReset }) => {
        expect(shape, `${kind}.forward of a [2, 3, 3] input`).toEqual([2, 3, 2]);
        expectError(early, StateError.name, `${kind}.backward before any forward`);
        expectError(wrongInput, ShapeError.name, `${kind}.forward of a [2, 5, 4] input`, [
          `${kind}.forward expected input [batch, time, 3], got [2, 5, 4]`,
        ]);
        expectError(wrongGradient, ShapeError.name, `${kind}.backward of a [2, 4, 2] gradient after a [2, 3, 3] input`);
        expectError(
          otherBatch,
          ShapeError.name,
          `a stateful ${kind} that carries the state of a batch of 2, given a batch of 5`,
          ['resetState'],
        );
        expect(afterReset, `${kind}.forward of a batch of 5 after resetState()`).toEqual([5, 3, 2]);
      },
    }),
  ];
}

/** "maps [batch, time, in] to [batch, time, out]", and parameters() with the names, shapes and roles of the handout. */
function shapesCheck({ kind, Layer }: RecurrentSpec) {
  const [input, recurrent, bias] = PARAMETER_NAMES[kind];
  const gates = GATES[kind];
  const blocks = gates === 1 ? 'H' : `${gates}H`;
  const { inputSize, hiddenSize, outputSize } = SIZES;
  return property({
    title: `maps [batch, time, inputSize] to [batch, time, outputSize]; parameters ${input} [in, ${blocks}], ${recurrent} [H, ${blocks}], ${bias} [${blocks}], Why, by`,
    run: (rng) => {
      const layer = new Layer({ ...SIZES, rng: new Rng(1) });
      const shapes = drawSamples(
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1000 })),
        rng,
        20,
      ).map(([batch, time, seed]) => ({
        batch,
        time,
        shape: tensorData(layer.forward(new Rng(seed).normalTensor([batch, time, inputSize])), `${kind}.forward`).shape,
      }));
      return { shapes, parameters: layer.parameters().map((p) => [p.name, Array.from(p.value.shape), p.role]) };
    },
    verify: ({ shapes, parameters }) => {
      shapes.forEach(({ batch, time, shape }, i) => {
        expect(
          shape,
          `sample ${i}: ${kind}.forward on [${batch}, ${time}, ${inputSize}] must give [${batch}, ${time}, ${outputSize}]`,
        ).toEqual([batch, time, outputSize]);
      });
      expect(parameters, `${kind}.parameters(): names, shapes and roles`).toEqual([
        [input, [inputSize, gates * hiddenSize], 'weight'],
        [recurrent, [hiddenSize, gates * hiddenSize], 'weight'],
        [bias, [gates * hiddenSize], 'bias'],
        ['Why', [hiddenSize, outputSize], 'weight'],
        ['by', [outputSize], 'bias'],
      ]);
    },
    hiddenRerun: true,
  });
}

/**
 * With zero recurrent weights (and the spec's gate shut against the old state) y_t depends on x_t
 * alone: changing x_1…x_4 and the initial state(s) leaves y_5 alone. With zero input weights y does
 * not depend on x at all.
 */
function historyCheck({ kind, Layer, gate }: RecurrentSpec) {
  const [input, recurrent] = PARAMETER_NAMES[kind];
  const states = kind === 'LSTM' ? 'h_0 and c_0' : 'h_0';
  const { inputSize, hiddenSize } = SIZES;
  return property({
    title: `zero recurrent weights${gate ? ` and ${gate.title}` : ''} make y_t independent of earlier inputs and ${states}; zero input weights make y independent of x`,
    run: (rng) =>
      drawSamples(fc.integer({ min: 0, max: 1000 }), rng, 15).map((seed) => {
        const draw = new Rng(seed);
        const layer = new Layer({ ...SIZES, rng: draw });
        const x = draw.normalTensor([2, 5, inputSize]);
        const changed = x.clone();
        for (let b = 0; b < 2; b++)
          for (let t = 0; t < 4; t++) for (let i = 0; i < inputSize; i++) changed.set(draw.normal(), b, t, i);
        const recurrentWeights = parameterNamed(layer, kind, recurrent);
        recurrentWeights.assign(zeros(recurrentWeights.value.shape));
        gate?.apply(layer);
        const last = (y: Tensor) => tensorData(sliceTime(y, 4, 5), `${kind}.forward`);
        const lastStep = last(layer.forward(x));
        layer.initialState = draw.normalTensor([2, hiddenSize]);
        if (kind === 'LSTM') layer.initialCell = draw.normalTensor([2, hiddenSize]);
        const lastStepChanged = last(layer.forward(changed));
        layer.resetState();
        recurrentWeights.assign(draw.normalTensor(recurrentWeights.value.shape));
        const inputWeights = parameterNamed(layer, kind, input);
        inputWeights.assign(zeros(inputWeights.value.shape));
        return {
          lastStep,
          lastStepChanged,
          output: tensorData(layer.forward(x), `${kind}.forward`),
          outputChanged: tensorData(layer.forward(changed), `${kind}.forward`),
        };
      }),
    verify: (samples) =>
      samples.forEach(({ lastStep, lastStepChanged, output, outputChanged }, i) => {
        expectClose(
          lastStepChanged,
          lastStep,
          1e-12,
          `sample ${i}: ${kind} with ${recurrent} = 0${gate ? ` and ${gate.says}` : ''}, the last output after changing x_1…x_4 and ${states} (y_5 may depend on x_5 only)`,
        );
        expectClose(
          outputChanged,
          output,
          1e-12,
          `sample ${i}: ${kind} with ${input} = 0, the output for a different input`,
        );
      }),
    hiddenRerun: true,
  });
}

/** The layer of tests/ex4/reference/recurrent_reference.py: in 2, H 2, out 2, forward of REFERENCE_X and backward of REFERENCE_G. */
function referenceChecks({ kind, Layer, reference }: RecurrentSpec) {
  const referenceLayer = () =>
    layerWithWeights(
      kind,
      Layer,
      { inputSize: 2, hiddenSize: 2, outputSize: 2 },
      { ...reference.weights, Why: REFERENCE_WHY, by: REFERENCE_BY },
    );
  const expected = reference.gradients;
  for (const name of PARAMETER_NAMES[kind])
    if (expected.grads[name] === undefined) throw new Error(`the ${kind} reference gives no gradient of '${name}'`);
  return [
    knownValue({
      title: 'matches the independent NumPy reference, forward (tests/ex4/reference/recurrent_reference.py)',
      weight: 2,
      run: () => forwardPass(kind, referenceLayer(), REFERENCE_X),
      verify: (pass) =>
        expectKnownOutput(
          kind,
          pass,
          reference.output,
          1e-10,
          `${kind} output for the reference weights (recurrent_reference.out, "${kind} output")`,
        ),
    }),
    knownValue({
      title: `matches the independent NumPy reference, backward: ∂L/∂x, every parameter gradient${kind === 'LSTM' ? ', ∂L/∂h_0 and ∂L/∂c_0' : ' and ∂L/∂h_0'}`,
      weight: 2,
      run: () => {
        const layer = referenceLayer();
        layer.forward(REFERENCE_X);
        return backwardRecord(kind, layer, REFERENCE_G);
      },
      // Central differences of the NumPy model (recurrent_reference.out, "<kind> gradient of … for upstream G").
      verify: ({ dx, grads, dh0, dc0 }) => {
        const near = (received: TensorData | null | undefined, want: Expected, what: string) => {
          if (!received) fail(`${what}: undefined after ${kind}.backward`);
          expectClose(received, want, 1e-7, `${what} for the reference upstream gradient`);
        };
        near(dx, expected.dx, `${kind}.backward: ∂L/∂x`);
        for (const name of PARAMETER_NAMES[kind]) near(grads[name], expected.grads[name], `${name}.grad`);
        near(dh0, expected.dh0, 'gradInitialState (∂L/∂h_0)');
        if (kind === 'LSTM' && expected.dc0) near(dc0, expected.dc0, 'gradInitialCell (∂L/∂c_0 = δc_1⊙f_1)');
      },
    }),
  ];
}
