import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { zeros } from '../../framework/tensor/create.js';
import { add, mul } from '../../framework/ops/arithmetic.js';
import { concatColumns, sliceColumns } from '../../framework/ops/columns.js';
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

/** σ(x) = 1 / (1 + e^−x), written so that neither branch overflows. */
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** What one step of the forward pass keeps for the backward pass. */
interface LstmStep {
  input: Tensor;
  hiddenBefore: Tensor;
  cellBefore: Tensor;
  inputGate: Tensor;
  forgetGate: Tensor;
  candidate: Tensor;
  outputGate: Tensor;
  tanhCell: Tensor;
  hidden: Tensor;
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
  #steps?: LstmStep[];

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
    const outputs: Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const x = timeStep(input, t);
      // BEGIN SOLUTION
      const a = add(add(matmul(x, this.Wx.value), matmul(hidden, this.Wh.value)), this.b.value);
      const inputGate = map(sliceColumns(a, 0, H), sigmoid);
      const forgetGate = map(sliceColumns(a, H, 2 * H), sigmoid);
      const candidate = tanh(sliceColumns(a, 2 * H, 3 * H));
      const outputGate = map(sliceColumns(a, 3 * H, 4 * H), sigmoid);
      const newCell = add(mul(forgetGate, cell), mul(inputGate, candidate));
      const tanhCell = tanh(newCell);
      const newHidden = mul(outputGate, tanhCell);
      steps.push({ input: x, hiddenBefore: hidden, cellBefore: cell, inputGate, forgetGate, candidate, outputGate, tanhCell, hidden: newHidden });
      outputs.push(add(matmul(newHidden, this.Why.value), this.by.value));
      hidden = newHidden;
      cell = newCell;
      // END SOLUTION
    }
    this.#steps = steps;
    if (this.stateful) {
      this.initialState = hidden;
      this.initialCell = cell;
    }
    return stackTimeSteps(outputs);
  }

  backward(gradOutput: Tensor): Tensor {
    const steps = cached(this.#steps, 'LSTM.backward');
    const time = steps.length;
    const batch = steps[0].input.shape[0];
    expectShape(gradOutput.shape, [batch, time, this.outputSize], 'LSTM.backward', 'gradOutput');
    const gradInputs: Tensor[] = new Array(time);
    let gradWx = zeros(this.Wx.value.shape);
    let gradWh = zeros(this.Wh.value.shape);
    let gradB = zeros(this.b.value.shape);
    let gradWhy = zeros(this.Why.value.shape);
    let gradBy = zeros(this.by.value.shape);
    // ∂L/∂h_t and ∂L/∂c_t arriving from step t+1 (none after the last step).
    let gradHiddenFromNext = zeros([batch, this.hiddenSize]);
    let gradCellFromNext = zeros([batch, this.hiddenSize]);
    // BEGIN SOLUTION
    const sigmoidDerivative = (s: number): number => s * (1 - s);
    const tanhDerivative = (value: number): number => 1 - value * value;
    const WxT = transpose(this.Wx.value);
    const WhT = transpose(this.Wh.value);
    const WhyT = transpose(this.Why.value);
    for (let t = time - 1; t >= 0; t--) {
      const step = steps[t];
      const gradY = timeStep(gradOutput, t);
      gradWhy = add(gradWhy, matmul(transpose(step.hidden), gradY));
      gradBy = add(gradBy, sum(gradY, 0));
      const gradH = add(matmul(gradY, WhyT), gradHiddenFromNext);
      const gradOutputGate = mul(gradH, step.tanhCell);
      const gradCell = add(mul(mul(gradH, step.outputGate), map(step.tanhCell, tanhDerivative)), gradCellFromNext);
      const gradInputGate = mul(gradCell, step.candidate);
      const gradCandidate = mul(gradCell, step.inputGate);
      const gradForgetGate = mul(gradCell, step.cellBefore);
      const gradA = concatColumns([
        mul(gradInputGate, map(step.inputGate, sigmoidDerivative)),
        mul(gradForgetGate, map(step.forgetGate, sigmoidDerivative)),
        mul(gradCandidate, map(step.candidate, tanhDerivative)),
        mul(gradOutputGate, map(step.outputGate, sigmoidDerivative)),
      ]);
      gradWx = add(gradWx, matmul(transpose(step.input), gradA));
      gradWh = add(gradWh, matmul(transpose(step.hiddenBefore), gradA));
      gradB = add(gradB, sum(gradA, 0));
      gradInputs[t] = matmul(gradA, WxT);
      gradHiddenFromNext = matmul(gradA, WhT);
      gradCellFromNext = mul(gradCell, step.forgetGate);
    }
    // END SOLUTION
    this.Wx.accumulate(gradWx);
    this.Wh.accumulate(gradWh);
    this.b.accumulate(gradB);
    this.Why.accumulate(gradWhy);
    this.by.accumulate(gradBy);
    this.gradInitialState = gradHiddenFromNext;
    this.gradInitialCell = gradCellFromNext;
    return stackTimeSteps(gradInputs);
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
