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
 * The weights are shared across time, so their gradients are sums over t (004: 6077–6078).
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
  /** x_1…x_T and h_0…h_T of the last forward. */
  #inputs?: Tensor[];
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
    const inputs = Array.from({ length: time }, (_, t) => timeStep(input, t));
    const hidden = [startState(this.initialState, batch, this.hiddenSize, 'RNN.forward', 'initialState')];
    const outputs: Tensor[] = [];
    // BEGIN SOLUTION
    for (let t = 0; t < time; t++) {
      const u = add(add(matmul(inputs[t], this.Wxh.value), matmul(hidden[t], this.Whh.value)), this.bh.value);
      const h = tanh(u);
      hidden.push(h);
      outputs.push(add(matmul(h, this.Why.value), this.by.value));
    }
    // END SOLUTION
    this.#inputs = inputs;
    this.#hidden = hidden;
    if (this.stateful) this.initialState = hidden[time];
    return stackTimeSteps(outputs);
  }

  backward(gradOutput: Tensor): Tensor {
    const inputs = cached(this.#inputs, 'RNN.backward');
    const hidden = cached(this.#hidden, 'RNN.backward');
    const batch = hidden[0].shape[0];
    const time = inputs.length;
    expectShape(gradOutput.shape, [batch, time, this.outputSize], 'RNN.backward', 'gradOutput');
    const gradInputs: Tensor[] = new Array(time);
    let gradWxh = zeros(this.Wxh.value.shape);
    let gradWhh = zeros(this.Whh.value.shape);
    let gradBh = zeros(this.bh.value.shape);
    let gradWhy = zeros(this.Why.value.shape);
    let gradBy = zeros(this.by.value.shape);
    // ∂L/∂h_t arriving from step t+1 (none after the last step).
    let gradHiddenFromNext = zeros([batch, this.hiddenSize]);
    // BEGIN SOLUTION
    const WxhT = transpose(this.Wxh.value);
    const WhhT = transpose(this.Whh.value);
    const WhyT = transpose(this.Why.value);
    for (let t = time - 1; t >= 0; t--) {
      const gradY = timeStep(gradOutput, t);
      const h = hidden[t + 1];
      gradWhy = add(gradWhy, matmul(transpose(h), gradY));
      gradBy = add(gradBy, sum(gradY, 0));
      const gradH = add(matmul(gradY, WhyT), gradHiddenFromNext);
      const gradU = mul(gradH, map(h, (value) => 1 - value * value));
      gradWxh = add(gradWxh, matmul(transpose(inputs[t]), gradU));
      gradWhh = add(gradWhh, matmul(transpose(hidden[t]), gradU));
      gradBh = add(gradBh, sum(gradU, 0));
      gradInputs[t] = matmul(gradU, WxhT);
      gradHiddenFromNext = matmul(gradU, WhhT);
    }
    // END SOLUTION
    this.Wxh.accumulate(gradWxh);
    this.Whh.accumulate(gradWhh);
    this.bh.accumulate(gradBh);
    this.Why.accumulate(gradWhy);
    this.by.accumulate(gradBy);
    this.gradInitialState = gradHiddenFromNext;
    return stackTimeSteps(gradInputs);
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
