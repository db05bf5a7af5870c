import { cached, expectFinite } from '../../framework/tensor/checks.js';
import { expectShape } from '../../framework/tensor/shape.js';
import { zeros } from '../../framework/tensor/create.js';
import { add, mul, sub } from '../../framework/ops/arithmetic.js';
import { concatColumns, sliceColumns } from '../../framework/ops/columns.js';
import { matmul, transpose } from '../../framework/ops/linalg.js';
import { map, tanh } from '../../framework/ops/math.js';
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
import type { Tensor } from '../../framework/tensor/tensor.js';

/** What one step of the forward pass keeps for the backward pass. */
interface GruStep {
  input: Tensor;
  hiddenBefore: Tensor;
  resetGate: Tensor;
  updateGate: Tensor;
  /** r ⊙ h_{t−1}, the input of the proposal's recurrent block. */
  resetHidden: Tensor;
  proposal: Tensor;
  hidden: Tensor;
}

/**
 * Gated recurrent unit (Cho et al. 2014; 004: 6318–6395), gate order r, z, n in one matrix each,
 * Wx [in, 3H], Wh [H, 3H], b [3H], with the seed's equations (the original GRU):
 *
 *   r_t = σ(x_t·Wx_r + h_{t−1}·Wh_r + b_r)                 reset gate    (004: 6355)
 *   z_t = σ(x_t·Wx_z + h_{t−1}·Wh_z + b_z)                 update gate   (004: 6364)
 *   n_t = tanh(x_t·Wx_n + (r_t ⊙ h_{t−1})·Wh_n + b_n)      proposal h̃_t (004: 6373)
 *   h_t = (1 − z_t) ⊙ h_{t−1} + z_t ⊙ n_t,   y_t = h_t·Why + by       (004: 6382)
 *
 * Two differences from PyTorch's nn.GRU, on purpose: the reset gate multiplies h_{t−1} before Wh_n
 * (PyTorch: after, r ⊙ (h·Wh_n + b_hn)), and z weighs the proposal (PyTorch: z weighs h_{t−1}).
 *
 * Backward, going t = T…1 with δh = E_t·Whyᵀ + (gradient from step t+1):
 *   δa_z = δh ⊙ (n − h_{t−1}) ⊙ z(1−z),   δa_n = δh ⊙ z ⊙ (1 − n²),   δ(r⊙h) = δa_n·Wh_nᵀ
 *   δa_r = δ(r⊙h) ⊙ h_{t−1} ⊙ r(1−r)
 *   ∂L/∂h_{t−1} = δh ⊙ (1 − z) + δ(r⊙h) ⊙ r + [δa_r, δa_z]·Wh_rzᵀ
 *   ∇Wx += x_tᵀ·[δa_r, δa_z, δa_n],  ∇Wh_rz += h_{t−1}ᵀ·[δa_r, δa_z],  ∇Wh_n += (r⊙h_{t−1})ᵀ·δa_n
 *
 * Handout: docs/exercises/4-recurrent.md#gru
 */
export class GRU implements Layer {
  readonly name = 'GRU';
  training = true;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly outputSize: number;
  /** Carry h_T into the next forward (truncated BPTT). */
  stateful: boolean;
  readonly Wx: Parameter;
  readonly Wh: Parameter;
  readonly b: Parameter;
  readonly Why: Parameter;
  readonly by: Parameter;
  /** h_0 for the next forward, [batch, hiddenSize]; undefined means zeros. */
  initialState: Tensor | undefined;
  /** ∂L/∂h_0 of the last backward (assigned, not accumulated). */
  gradInitialState: Tensor | undefined;
  #steps?: GruStep[];

  constructor(options: RecurrentOptions) {
    checkRecurrentOptions(options, 'GRU');
    const { inputSize, hiddenSize, outputSize } = options;
    const rng = options.rng ?? defaultRng();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.outputSize = outputSize;
    this.stateful = options.stateful ?? false;
    this.Wx = new Parameter('Wx', defaultUniform([inputSize, 3 * hiddenSize], hiddenSize, rng), 'weight');
    this.Wh = new Parameter('Wh', defaultUniform([hiddenSize, 3 * hiddenSize], hiddenSize, rng), 'weight');
    this.b = new Parameter('b', defaultUniform([3 * hiddenSize], hiddenSize, rng), 'bias');
    this.Why = new Parameter('Why', defaultUniform([hiddenSize, outputSize], hiddenSize, rng), 'weight');
    this.by = new Parameter('by', defaultUniform([outputSize], hiddenSize, rng), 'bias');
  }

  forward(input: Tensor): Tensor {
    expectShape(input.shape, ['batch', 'time', this.inputSize], 'GRU.forward');
    expectFinite(input, 'GRU.forward');
    const [batch, time] = input.shape;
    const H = this.hiddenSize;
    let hidden = startState(this.initialState, batch, H, 'GRU.forward', 'initialState');
    const steps: GruStep[] = [];
    const outputs: Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const x = timeStep(input, t);
      // BEGIN SOLUTION
      const fromInput = add(matmul(x, this.Wx.value), this.b.value);
      const gates = add(sliceColumns(fromInput, 0, 2 * H), matmul(hidden, sliceColumns(this.Wh.value, 0, 2 * H)));
      const resetGate = map(sliceColumns(gates, 0, H), sigmoid);
      const updateGate = map(sliceColumns(gates, H, 2 * H), sigmoid);
      const resetHidden = mul(resetGate, hidden);
      const proposal = tanh(
        add(sliceColumns(fromInput, 2 * H, 3 * H), matmul(resetHidden, sliceColumns(this.Wh.value, 2 * H, 3 * H))),
      );
      const newHidden = add(hidden, mul(updateGate, sub(proposal, hidden)));
      steps.push({ input: x, hiddenBefore: hidden, resetGate, updateGate, resetHidden, proposal, hidden: newHidden });
      outputs.push(add(matmul(newHidden, this.Why.value), this.by.value));
      hidden = newHidden;
      // END SOLUTION
    }
    this.#steps = steps;
    if (this.stateful) this.initialState = hidden;
    return stackTimeSteps(outputs);
  }

  backward(gradOutput: Tensor): Tensor {
    const steps = cached(this.#steps, 'GRU.backward');
    const time = steps.length;
    const batch = steps[0].input.shape[0];
    const H = this.hiddenSize;
    expectShape(gradOutput.shape, [batch, time, this.outputSize], 'GRU.backward', 'gradOutput');
    const gradInputs: Tensor[] = new Array(time);
    let gradWx = zeros(this.Wx.value.shape);
    let gradWhGates = zeros([H, 2 * H]);
    let gradWhProposal = zeros([H, H]);
    let gradB = zeros(this.b.value.shape);
    let gradWhy = zeros(this.Why.value.shape);
    let gradBy = zeros(this.by.value.shape);
    // ∂L/∂h_t arriving from step t+1 (none after the last step).
    let gradHiddenFromNext = zeros([batch, H]);
    // BEGIN SOLUTION
    const sigmoidDerivative = (s: number): number => s * (1 - s);
    const WxT = transpose(this.Wx.value);
    const WhGatesT = transpose(sliceColumns(this.Wh.value, 0, 2 * H));
    const WhProposalT = transpose(sliceColumns(this.Wh.value, 2 * H, 3 * H));
    const WhyT = transpose(this.Why.value);
    for (let t = time - 1; t >= 0; t--) {
      const step = steps[t];
      const gradY = timeStep(gradOutput, t);
      gradWhy = add(gradWhy, matmul(transpose(step.hidden), gradY));
      gradBy = add(gradBy, sum(gradY, 0));
      const gradH = add(matmul(gradY, WhyT), gradHiddenFromNext);
      const gradAz = mul(mul(gradH, sub(step.proposal, step.hiddenBefore)), map(step.updateGate, sigmoidDerivative));
      const gradAn = mul(
        mul(gradH, step.updateGate),
        map(step.proposal, (n) => 1 - n * n),
      );
      const gradResetHidden = matmul(gradAn, WhProposalT);
      const gradAr = mul(mul(gradResetHidden, step.hiddenBefore), map(step.resetGate, sigmoidDerivative));
      const gradGates = concatColumns([gradAr, gradAz]);
      const gradA = concatColumns([gradAr, gradAz, gradAn]);
      gradWx = add(gradWx, matmul(transpose(step.input), gradA));
      gradB = add(gradB, sum(gradA, 0));
      gradWhGates = add(gradWhGates, matmul(transpose(step.hiddenBefore), gradGates));
      gradWhProposal = add(gradWhProposal, matmul(transpose(step.resetHidden), gradAn));
      gradInputs[t] = matmul(gradA, WxT);
      gradHiddenFromNext = add(
        add(
          mul(
            gradH,
            map(step.updateGate, (z) => 1 - z),
          ),
          mul(gradResetHidden, step.resetGate),
        ),
        matmul(gradGates, WhGatesT),
      );
    }
    // END SOLUTION
    this.Wx.accumulate(gradWx);
    this.Wh.accumulate(concatColumns([gradWhGates, gradWhProposal]));
    this.b.accumulate(gradB);
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
    return [this.Wx, this.Wh, this.b, this.Why, this.by];
  }

  /** As LSTM: Wx fans (in, H), Wh (H, H) per gate block, b (in + H, H), Why and by (H, out). */
  initialize(weights: Initializer, biases: Initializer, rng: Rng): void {
    const { inputSize: input, hiddenSize: hidden, outputSize: output } = this;
    this.Wx.assign(weights.initialize(this.Wx.value.shape, input, hidden, rng));
    this.Wh.assign(weights.initialize(this.Wh.value.shape, hidden, hidden, rng));
    this.b.assign(biases.initialize(this.b.value.shape, input + hidden, hidden, rng));
    this.Why.assign(weights.initialize(this.Why.value.shape, hidden, output, rng));
    this.by.assign(biases.initialize(this.by.value.shape, hidden, output, rng));
  }
}
