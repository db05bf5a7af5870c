import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { zeros } from '../../framework/tensor/create.js';
import { add } from '../../framework/ops/arithmetic.js';
import { matmul, transpose } from '../../framework/ops/linalg.js';
import { sum } from '../../framework/ops/reductions.js';
import { stackTimeSteps, timeStep } from '../../framework/ops/sequence.js';
import { sigmoid } from '../../framework/ops/scalar-sigmoid.js';
import { Parameter } from '../../framework/nn/parameter.js';
import { checkRecurrentOptions, startState, type RecurrentOptions } from '../../framework/nn/recurrent.js';
import { defaultUniform } from '../../framework/nn/default-initialization.js';
import { defaultRng } from '../../framework/random/default-rng.js';
import type { Initializer } from '../../framework/nn/initializer.js';
import type { Layer } from '../../framework/nn/layer.js';
import type { Rng } from '../../framework/random/rng.js';
import { Tensor } from '../../framework/tensor/tensor.js';

/** What one step of the forward pass keeps for the backward pass, each [batch, H] unless noted. */
interface LstmStep {
  hiddenBefore: Tensor;
  cellBefore: Tensor;
  /** i, f, g, o after their activations, side by side: [batch, 4H]. */
  gates: Tensor;
  tanhCell: Tensor;
}

/**
 * Long short-term memory layer (004: 6188–6282), gate order i, f, g, o in one matrix each:
 *
 *   a_t = x_t·Wx + h_{t−1}·Wh + b                              [batch, 4H], blocks i | f | g | o
 *   i_t = σ(a_i),  f_t = σ(a_f),  g_t = tanh(a_g),  o_t = σ(a_o)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t,   h_t = o_t ⊙ tanh(c_t),   y_t = h_t·Why + by
 *
 * The seed concatenates [h_{t−1}, x_t] under one matrix per gate (6243–6278) and writes y_t = σ(h_t);
 * here Wx [in, 4H] and Wh [H, 4H] are that matrix split by rows and stacked by gate (PyTorch's layout,
 * transposed for batch-first), and y_t has its own projection Why [H, out], by [out].
 *
 * Backward (no seed gives it; the handout derives it), going t = T…1 with E_t = ∂L/∂y_t:
 *   δh = E_t·Whyᵀ + (δa_{t+1}·Whᵀ)                 δc = δh ⊙ o ⊙ (1 − tanh²c_t) + δc_{t+1} ⊙ f_{t+1}
 *   δa_i = δc ⊙ g ⊙ i(1−i),  δa_f = δc ⊙ c_{t−1} ⊙ f(1−f),  δa_g = δc ⊙ i ⊙ (1−g²),  δa_o = δh ⊙ tanh c_t ⊙ o(1−o)
 *   ∇Wx += x_tᵀ·δa,  ∇Wh += h_{t−1}ᵀ·δa,  ∇b += Σ_batch δa,  ∂L/∂x_t = δa·Wxᵀ
 * and ∂L/∂h_0, ∂L/∂c_0 are left in `gradInitialState`, `gradInitialCell`.
 *
 * Handout: docs/exercises/4-recurrent.md#lstm
 */
export class LSTM implements Layer {
  readonly name = 'LSTM';
  training = true;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** Carry (h_T, c_T) into the next forward (truncated BPTT). */
  stateful: boolean;
  readonly Wx: Parameter;
  readonly Wh: Parameter;
  readonly b: Parameter;
  readonly Why: Parameter;
  readonly by: Parameter;
  /** h_0 for the next forward, [batch, hiddenSize]; undefined means zeros. */
  initialState: Tensor | undefined;
  /** c_0 for the next forward, [batch, hiddenSize]; undefined means zeros. */
  initialCell: Tensor | undefined;
  /** ∂L/∂h_0 and ∂L/∂c_0 of the last backward (assigned, not accumulated). */
  gradInitialState: Tensor | undefined;
  gradInitialCell: Tensor | undefined;
  #input?: Tensor;
  #steps?: LstmStep[];
  /** h_1…h_T of the last forward. */
  #hiddenStates?: Tensor[];

  constructor(options: RecurrentOptions) {
    checkRecurrentOptions(options, 'LSTM');
    const { inputSize, hiddenSize, outputSize } = options;
    const rng = options.rng ?? defaultRng();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.outputSize = outputSize;
    this.stateful = options.stateful ?? false;
    this.Wx = new Parameter('Wx', defaultUniform([inputSize, 4 * hiddenSize], hiddenSize, rng), 'weight');
    this.Wh = new Parameter('Wh', defaultUniform([hiddenSize, 4 * hiddenSize], hiddenSize, rng), 'weight');
    this.b = new Parameter('b', defaultUniform([4 * hiddenSize], hiddenSize, rng), 'bias');
    this.Why = new Parameter('Why', defaultUniform([hiddenSize, outputSize], hiddenSize, rng), 'weight');
    this.by = new Parameter('by', defaultUniform([outputSize], hiddenSize, rng), 'bias');
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'time', this.inputSize], 'LSTM.forward');
    expectFinite(input, 'LSTM.forward');
    const [batch, time] = input.shape;
    const H = this.hiddenSize;
    let hidden = startState(this.initialState, batch, H, 'LSTM.forward', 'initialState');
    let cell = startState(this.initialCell, batch, H, 'LSTM.forward', 'initialCell');
    const steps: LstmStep[] = [];
    const hiddenStates: Tensor[] = [];
    let outputs: Tensor;
    // BEGIN SOLUTION
    // x_t·Wx + b does not depend on the state: one product over all batch·time rows.
    const fromInput = add(matmul(input.reshape([batch * time, this.inputSize]), this.Wx.value), this.b.value).reshape([
      batch,
      time,
      4 * H,
    ]);
    for (let t = 0; t < time; t++) {
      const a = add(timeStep(fromInput, t), matmul(hidden, this.Wh.value)).data;
      const c0 = cell.data;
      const gates = new Float64Array(batch * 4 * H);
      const c = new Float64Array(batch * H);
      const tanhC = new Float64Array(batch * H);
      const h = new Float64Array(batch * H);
      for (let row = 0; row < batch; row++) {
        const at = row * 4 * H;
        for (let j = 0; j < H; j++) {
          const i = sigmoid(a[at + j]);
          const f = sigmoid(a[at + H + j]);
          const g = Math.tanh(a[at + 2 * H + j]);
          const o = sigmoid(a[at + 3 * H + j]);
          const k = row * H + j;
          c[k] = f * c0[k] + i * g;
          tanhC[k] = Math.tanh(c[k]);
          h[k] = o * tanhC[k];
          gates[at + j] = i;
          gates[at + H + j] = f;
          gates[at + 2 * H + j] = g;
          gates[at + 3 * H + j] = o;
        }
      }
      steps.push({
        hiddenBefore: hidden,
        cellBefore: cell,
        gates: new Tensor([batch, 4 * H], gates),
        tanhCell: new Tensor([batch, H], tanhC),
      });
      hidden = new Tensor([batch, H], h);
      cell = new Tensor([batch, H], c);
      hiddenStates.push(hidden);
    }
    outputs = add(
      matmul(stackTimeSteps(hiddenStates).reshape([batch * time, H]), this.Why.value),
      this.by.value,
    ).reshape([batch, time, this.outputSize]);
    // END SOLUTION
    this.#input = input;
    this.#steps = steps;
    this.#hiddenStates = hiddenStates;
    if (this.stateful) {
      this.initialState = hidden;
      this.initialCell = cell;
    }
    return outputs;
  }

  backward(gradOutput: Tensor): Tensor {
    const input = cached(this.#input, 'LSTM.backward');
    const steps = cached(this.#steps, 'LSTM.backward');
    const hiddenStates = cached(this.#hiddenStates, 'LSTM.backward');
    const [batch, time] = input.shape;
    const H = this.hiddenSize;
    expectShape(gradOutput.shape, [batch, time, this.outputSize], 'LSTM.backward', 'gradOutput');
    // δa_t for every step, and ∂L/∂h_t, ∂L/∂c_t arriving from step t+1 (none after the last step).
    const gradPreActivations: Tensor[] = new Array(time);
    let gradHiddenFromNext = zeros([batch, H]);
    let gradCellFromNext = zeros([batch, H]);
    let gradInput: Tensor;
    // BEGIN SOLUTION
    const rows = batch * time;
    const gradY = gradOutput.reshape([rows, this.outputSize]);
    const gradHiddenFromOutput = matmul(gradY, transpose(this.Why.value)).reshape([batch, time, H]);
    const WhT = transpose(this.Wh.value);
    for (let t = time - 1; t >= 0; t--) {
      const { cellBefore, gates, tanhCell } = steps[t];
      const dh = add(timeStep(gradHiddenFromOutput, t), gradHiddenFromNext).data;
      const dcNext = gradCellFromNext.data;
      const c0 = cellBefore.data;
      const gate = gates.data;
      const tanhC = tanhCell.data;
      const da = new Float64Array(batch * 4 * H);
      const dcBefore = new Float64Array(batch * H);
      for (let row = 0; row < batch; row++) {
        const at = row * 4 * H;
        for (let j = 0; j < H; j++) {
          const k = row * H + j;
          const i = gate[at + j];
          const f = gate[at + H + j];
          const g = gate[at + 2 * H + j];
          const o = gate[at + 3 * H + j];
          // h = o ⊙ tanh c, and c also reaches step t+1 through f_{t+1} ⊙ c.
          const dc = dh[k] * o * (1 - tanhC[k] * tanhC[k]) + dcNext[k];
          da[at + j] = dc * g * i * (1 - i);
          da[at + H + j] = dc * c0[k] * f * (1 - f);
          da[at + 2 * H + j] = dc * i * (1 - g * g);
          da[at + 3 * H + j] = dh[k] * tanhC[k] * o * (1 - o);
          dcBefore[k] = dc * f;
        }
      }
      const gradA = new Tensor([batch, 4 * H], da);
      gradPreActivations[t] = gradA;
      gradHiddenFromNext = matmul(gradA, WhT);
      gradCellFromNext = new Tensor([batch, H], dcBefore);
    }
    // Shared weights: each Σ_t is one product over the stacked batch·time rows.
    const gradA = stackTimeSteps(gradPreActivations).reshape([rows, 4 * H]);
    const hiddenAfter = stackTimeSteps(hiddenStates).reshape([rows, H]);
    const hiddenBefore = stackTimeSteps(steps.map((step) => step.hiddenBefore)).reshape([rows, H]);
    const inputRows = input.reshape([rows, this.inputSize]);
    this.Why.accumulate(matmul(transpose(hiddenAfter), gradY));
    this.by.accumulate(sum(gradY, 0));
    this.Wx.accumulate(matmul(transpose(inputRows), gradA));
    this.Wh.accumulate(matmul(transpose(hiddenBefore), gradA));
    this.b.accumulate(sum(gradA, 0));
    gradInput = matmul(gradA, transpose(this.Wx.value)).reshape([batch, time, this.inputSize]);
    // END SOLUTION
    this.gradInitialState = gradHiddenFromNext;
    this.gradInitialCell = gradCellFromNext;
    return gradInput;
  }

  /** Forget the carried state: the next forward starts from zeros. */
  resetState(): void {
    this.initialState = undefined;
    this.initialCell = undefined;
  }

  parameters(): Parameter[] {
    return [this.Wx, this.Wh, this.b, this.Why, this.by];
  }

  /**
   * Each gate's block is its own [in, H] or [H, H] matrix, so Wx takes fans (in, H) and Wh (H, H),
   * not (in, 4H); b takes (in + H, H), the fans of the whole pre-activation; Why (H, out), by (H, out).
   */
  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    const { inputSize: input, hiddenSize: hidden, outputSize: output } = this;
    this.Wx.assign(weights.initialize(this.Wx.value.shape, input, hidden, rng));
    this.Wh.assign(weights.initialize(this.Wh.value.shape, hidden, hidden, rng));
    this.b.assign(biases.initialize(this.b.value.shape, input + hidden, hidden, rng));
    this.Why.assign(weights.initialize(this.Why.value.shape, hidden, output, rng));
    this.by.assign(biases.initialize(this.by.value.shape, hidden, output, rng));
  }
}
