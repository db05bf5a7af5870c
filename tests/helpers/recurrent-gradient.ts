import { compareWithNumeric, describeComparison, Rng, type Layer, type Tensor } from '../../framework/index.js';
import { layerGradients, type GradientComparison, type GradientData } from '../harness/data.js';
import { expectGradientsMatch, fail } from '../harness/verify.js';

/** An initial state of a recurrent layer: the tensor forward starts from, and where backward leaves ∂L/∂state. */
export interface StateUnderCheck {
  /** 'initialState' (h_0) or 'initialCell' (c_0). */
  readonly name: 'initialState' | 'initialCell';
  readonly value: Tensor;
  readonly gradient: () => Tensor | undefined;
}

/** The gradient check of a recurrent layer as data: input and parameters, then each initial state (null: backward left none). */
export interface RecurrentGradientData {
  readonly layer: GradientData;
  readonly states: ReadonlyArray<{ readonly name: string; readonly comparison: GradientComparison | null }>;
}

/**
 * Run side: centred differences on the input, every parameter (the harness's layer check) and each
 * initial state (h_0, and c_0 for the LSTM) of a recurrent layer. The layer must not be stateful, so
 * that every forward starts from the same state.
 */
export function recurrentGradients(
  layer: Layer,
  input: Tensor,
  states: readonly StateUnderCheck[],
): RecurrentGradientData {
  const report = layerGradients(layer, input);
  const upstream = new Rng(77).normalTensor(layer.forward(input).shape);
  layer.backward(upstream);
  const weighted = (): number => {
    const output = layer.forward(input).data;
    let total = 0;
    for (let i = 0; i < output.length; i++) total += output[i] * upstream.data[i];
    return total;
  };
  return {
    layer: report,
    states: states.map((state) => {
      const analytic = state.gradient();
      return {
        name: state.name,
        comparison:
          analytic === undefined ? null : compareWithNumeric(state.name, analytic.clone(), state.value, weighted),
      };
    }),
  };
}

/** Verify side: every gradient under `threshold`, with a hint that fits the gradient that failed. */
export function expectRecurrentGradientsMatch(data: RecurrentGradientData, threshold: number): void {
  expectGradientsMatch(data.layer, threshold);
  for (const { name, comparison } of data.states) {
    const field = name === 'initialState' ? 'gradInitialState' : 'gradInitialCell';
    if (comparison === null)
      fail(`${data.layer.layer}.backward left ${field} undefined: set it to ∂L/∂(${name}) at the end of backward`);
    if (comparison.maxRelativeError < threshold) continue;
    fail(
      `${data.layer.layer}.backward: ${field}: ${describeComparison(comparison)} (limit ${threshold}). The gradient of the initial state is what flows out of step 1 ` +
        `into step 0: ∂L/∂a_1 times the recurrent weights transposed${name === 'initialCell' ? ', and for the cell δc_1 ⊙ f_1' : ''}.`,
    );
  }
}
