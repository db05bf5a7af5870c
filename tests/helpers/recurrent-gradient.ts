import { expect } from 'vitest';
import { compareWithNumeric, describeComparison, Rng, type Layer, type Tensor } from '../../framework/index.js';
import { expectGradientsMatch } from './gradient.js';

/** An initial state of a recurrent layer: the tensor forward starts from, and where backward leaves ∂L/∂state. */
export interface StateUnderCheck {
  readonly name: string;
  readonly value: Tensor;
  readonly gradient: () => Tensor | undefined;
}

/**
 * Checks a recurrent layer's backward against centred differences on the input, every parameter and
 * each initial state (h_0, and c_0 for the LSTM). The layer must not be stateful, so that every
 * forward starts from the same state.
 */
export function expectRecurrentGradientsMatch(layer: Layer, input: Tensor, states: readonly StateUnderCheck[], threshold: number): void {
  expectGradientsMatch(layer, input, threshold);
  const upstream = new Rng(77).normalTensor(layer.forward(input).shape);
  layer.backward(upstream);
  const weighted = (): number => {
    const output = layer.forward(input).data;
    let total = 0;
    for (let i = 0; i < output.length; i++) total += output[i] * upstream.data[i];
    return total;
  };
  for (const state of states) {
    const analytic = state.gradient();
    expect(analytic, `${layer.name}.backward left no gradient in ${state.name === 'initialState' ? 'gradInitialState' : 'gradInitialCell'}: set it to ∂L/∂(${state.name}) at the end of backward`).toBeDefined();
    const comparison = compareWithNumeric(state.name, (analytic as Tensor).clone(), state.value, weighted);
    expect(
      comparison.maxRelativeError,
      `${layer.name}.backward: ${describeComparison(comparison)}. The gradient of the initial state is what flows out of step 1 into step 0: ∂L/∂a_1 times the recurrent weights transposed (and δc_1 ⊙ f_1 for the cell).`,
    ).toBeLessThan(threshold);
  }
}
