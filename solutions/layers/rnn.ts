import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { zeros } from '../../framework/tensor/create.js';
import { add, mul } from '../../framework/ops/arithmetic.js';
import { matmul, transpose } from '../../framework/ops/linalg.js';
import { map, tanh } from '../../framework/ops/math.js';
import { sum } from '../../framework/ops/reductions.js';
import { stackTimeSteps, timeStep } from '../../framework/ops/sequence.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { checkRecurrentOptions, startState, type RecurrentOptions } from '../../framework/nn/recurrent.js';
import { defaultUniform } from '../../framework/nn/default-initialization.js';
import { defaultRng } from '../../framework/random/default-rng.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Rng } from '../../framework/random/rng.js';
import type { Tensor } from '../../framework/tensor/tensor.js';

/**
 * Elman recurrent layer (004: 5844, 5895, 5910), one row per sequence of the batch:
 *
 *   u_t = x_t·Wxh + h_{t−1}·Whh + bh,   h_t = tanh(u_t),   y_t = h_t·Why + by,   t = 1…T
 *
 * Shapes: x [batch, time, inputSize] → y [batch, time, outputSize]; Wxh [in, H], Whh [H, H], bh [H],
 * Why [H, out], by [out]. The output is linear (no σ as in 004: 5910): put a softmax loss on it.
 *
 * Backward through time (BPTT, 004: 6047–6078), with E_t = ∂L/∂y_t and going t = T…1:
 *   ∂L/∂h_t = E_t·Whyᵀ + ∂L/∂u_{t+1}·Whhᵀ     (the second term is 0 at t = T)
 *   ∂L/∂u_t = ∂L/∂h_t ⊙ (1 − h_t²)
 *   ∇Why += h_tᵀ·E_t, ∇by += Σ_batch E_t, ∇Wxh += x_tᵀ·∂L/∂u_t, ∇Whh += h_{t−1}ᵀ·∂L/∂u_t, ∇bh += Σ_batch ∂L/∂u_t
 *   ∂L/∂x_t = ∂L/∂u_t·Wxhᵀ,  and ∂L/∂h_0 = ∂L/∂u_1·Whhᵀ is left in `gradInitialState`.
 * The weights are shared across time, so their gradients are sums over t (004: 6077–6078). The products
 * that do not depend on the recurrence (x_t·Wxh, h_t·Why and the Σ_t of the weight gradients) are done
 * for all steps at once on the stacked [batch·time, …] rows; only h_{t−1}·Whh walks step by step.
 *
 * The initial state h_0 is `initialState` ([batch, H], zeros when undefined). With `stateful` the
 * last h_T becomes the next call's `initialState`; the gradient stops there (truncated BPTT).
 *
 * Handout: docs/exercises/4-recurrent.md#rnn
 */
export class RNN implements Layer {
  readonly name = 'RNN';
  training = true;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** Carry h_T into the next forward (truncated BPTT). May be switched, e.g. on for generation. */
  stateful: boolean;
  readonly Wxh: Parameter;
  readonly Whh: Parameter;
  readonly bh: Parameter;
  readonly Why: Parameter;
  readonly by: Parameter;
  /** h_0 for the next forward, [batch, hiddenSize]; undefined means zeros. Set it to start elsewhere. */
  initialState: Tensor | undefined;
  /** ∂L/∂h_0 of the last backward, [batch, hiddenSize] (assigned, not accumulated). */
  gradInitialState: Tensor | undefined;
  /** x and h_0…h_T of the last forward. */
  #input?: Tensor;
  #hidden?: Tensor[];

  constructor(options: RecurrentOptions) {
    checkRecurrentOptions(options, 'RNN');
    const { inputSize, hiddenSize, outputSize } = options;
    const rng = options.rng ?? defaultRng();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.outputSize = outputSize;
    this.stateful = options.stateful ?? false;
    // PyTorch's default for recurrent layers: every entry U(−1/√H, 1/√H).
    this.Wxh = new Parameter('Wxh', defaultUniform([inputSize, hiddenSize], hiddenSize, rng), 'weight');
    this.Whh = new Parameter('Whh', defaultUniform([hiddenSize, hiddenSize], hiddenSize, rng), 'weight');
    this.bh = new Parameter('bh', defaultUniform([hiddenSize], hiddenSize, rng), 'bias');
    this.Why = new Parameter('Why', defaultUniform([hiddenSize, outputSize], hiddenSize, rng), 'weight');
    this.by = new Parameter('by', defaultUniform([outputSize], hiddenSize, rng), 'bias');
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'time', this.inputSize], 'RNN.forward');
    expectFinite(input, 'RNN.forward');
    const [batch, time] = input.shape;
    const hidden = [startState(this.initialState, batch, this.hiddenSize, 'RNN.forward', 'initialState')];
    let outputs: Tensor;
    // BEGIN SOLUTION
    // x_t·Wxh + bh does not depend on h, so it is one product over all batch·time rows at once.
    const fromInput = add(matmul(input.reshape([batch * time, this.inputSize]), this.Wxh.value), this.bh.value).reshape(
      [batch, time, this.hiddenSize],
    );
    for (let t = 0; t < time; t++) {
      hidden.push(tanh(add(timeStep(fromInput, t), matmul(hidden[t], this.Whh.value))));
    }
    const allHidden = stackTimeSteps(hidden.slice(1)).reshape([batch * time, this.hiddenSize]);
    outputs = add(matmul(allHidden, this.Why.value), this.by.value).reshape([batch, time, this.outputSize]);
    // END SOLUTION
    this.#input = input;
    this.#hidden = hidden;
    if (this.stateful) this.initialState = hidden[time];
    return outputs;
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'RNN.backward');
    const hidden = cached(this.#hidden, 'RNN.backward');
    const [batch, time] = input.shape;
    const H = this.hiddenSize;
    expectShape(gradOutput.shape, [batch, time, this.outputSize], 'RNN.backward', 'gradOutput');
    // ∂L/∂u_t for every step, and ∂L/∂h_t arriving from step t+1 (none after the last step).
    const gradPreActivations: Tensor[] = new Array(time);
    let gradHiddenFromNext = zeros([batch, H]);
    let gradInput: Tensor;
    // BEGIN SOLUTION
    const rows = batch * time;
    const gradY = gradOutput.reshape([rows, this.outputSize]);
    // E_t·Whyᵀ for all steps at once; only the recurrent part has to walk back in time.
    const gradHiddenFromOutput = matmul(gradY, transpose(this.Why.value)).reshape([batch, time, H]);
    const WhhT = transpose(this.Whh.value);
    for (let t = time - 1; t >= 0; t--) {
      const gradH = add(timeStep(gradHiddenFromOutput, t), gradHiddenFromNext);
      const gradU = mul(
        gradH,
        map(hidden[t + 1], (h) => 1 - h * h),
      );
      gradPreActivations[t] = gradU;
      gradHiddenFromNext = matmul(gradU, WhhT);
    }
    // The weights are shared over time: Σ_t x_tᵀ·δu_t is one product over the stacked rows.
    const gradU = stackTimeSteps(gradPreActivations).reshape([rows, H]);
    const hiddenAfter = stackTimeSteps(hidden.slice(1)).reshape([rows, H]);
    const hiddenBefore = stackTimeSteps(hidden.slice(0, time)).reshape([rows, H]);
    const inputRows = input.reshape([rows, this.inputSize]);
    this.Why.accumulate(matmul(transpose(hiddenAfter), gradY));
    this.by.accumulate(sum(gradY, 0));
    this.Wxh.accumulate(matmul(transpose(inputRows), gradU));
    this.Whh.accumulate(matmul(transpose(hiddenBefore), gradU));
    this.bh.accumulate(sum(gradU, 0));
    gradInput = matmul(gradU, transpose(this.Wxh.value)).reshape([batch, time, this.inputSize]);
    // END SOLUTION
    this.gradInitialState = gradHiddenFromNext;
    return gradInput;
  }

  /** Forget the carried state: the next forward starts from zeros. */
  resetState(): void {
    this.initialState = undefined;
  }

  parameters(): Parameter[] {
    return [this.Wxh, this.Whh, this.bh, this.Why, this.by];
  }

  /** Per matrix its own fans: Wxh (in, H), Whh (H, H), Why (H, out); bh (in + H, H), the fans of u_t; by (H, out). */
  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    const { inputSize: input, hiddenSize: hidden, outputSize: output } = this;
    this.Wxh.assign(weights.initialize(this.Wxh.value.shape, input, hidden, rng));
    this.Whh.assign(weights.initialize(this.Whh.value.shape, hidden, hidden, rng));
    this.bh.assign(biases.initialize(this.bh.value.shape, input + hidden, hidden, rng));
    this.Why.assign(weights.initialize(this.Why.value.shape, hidden, output, rng));
    this.by.assign(biases.initialize(this.by.value.shape, hidden, output, rng));
  }
}
