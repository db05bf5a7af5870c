import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 4's components (see variant.ts). */
export const ex4: readonly BuggedVariant[] = [
  {
    id: 'rnn-state-reset-each-step',
    exercise: 'ex4',
    component: 'RNN',
    file: 'layers/rnn.ts',
    bug: 'every time step starts from h_0 again (hidden[0] instead of hidden[t]): the hidden state is not carried across time',
    replace: [
      [
        'hidden.push(tanh(add(timeStep(fromInput, t), matmul(hidden[t], this.Whh.value))));',
        'hidden.push(tanh(add(timeStep(fromInput, t), matmul(hidden[0], this.Whh.value))));',
      ],
    ],
  },
  {
    id: 'rnn-bptt-truncated-to-one-step',
    exercise: 'ex4',
    component: 'RNN',
    file: 'layers/rnn.ts',
    bug: 'backward forgets the gradient arriving from step t+1: ∂L/∂h_t = E_t·Whyᵀ only, so the gradient through time stops after one step',
    replace: [
      [
        'const gradH = add(timeStep(gradHiddenFromOutput, t), gradHiddenFromNext);',
        'const gradH = timeStep(gradHiddenFromOutput, t);',
      ],
    ],
  },
  {
    id: 'rnn-initial-state-gradient-missing',
    exercise: 'ex4',
    component: 'RNN',
    file: 'layers/rnn.ts',
    bug: 'stops passing the gradient back at the first step ("there is no step before it"), so gradInitialState never gets ∂L/∂h_0',
    replace: [
      ['      gradHiddenFromNext = matmul(gradU, WhhT);', '      if (t > 0) gradHiddenFromNext = matmul(gradU, WhhT);'],
    ],
  },
  {
    id: 'lstm-gate-order-ifog',
    exercise: 'ex4',
    component: 'LSTM',
    file: 'layers/lstm.ts',
    bug: "lays the gates out in the order i, f, o, g (a common order in blog posts) instead of the kit's i, f, g, o, consistently in forward and backward",
    replace: [
      [
        'const g = Math.tanh(a[at + 2 * H + j]);\n          const o = sigmoid(a[at + 3 * H + j]);',
        'const g = Math.tanh(a[at + 3 * H + j]);\n          const o = sigmoid(a[at + 2 * H + j]);',
      ],
      [
        'da[at + 2 * H + j] = dc * i * (1 - g * g);\n          da[at + 3 * H + j] = dh[k] * tanhC[k] * o * (1 - o);',
        'da[at + 3 * H + j] = dc * i * (1 - g * g);\n          da[at + 2 * H + j] = dh[k] * tanhC[k] * o * (1 - o);',
      ],
    ],
  },
  {
    id: 'lstm-cell-gradient-not-carried',
    exercise: 'ex4',
    component: 'LSTM',
    file: 'layers/lstm.ts',
    bug: 'forgets that c_t also reaches step t+1 through f_{t+1}⊙c_t: δc = δh⊙o⊙(1 − tanh²c) without + δc_{t+1}⊙f_{t+1}',
    replace: [
      [
        'const dc = dh[k] * o * (1 - tanhC[k] * tanhC[k]) + dcNext[k];',
        'const dc = dh[k] * o * (1 - tanhC[k] * tanhC[k]);',
      ],
    ],
  },
  {
    id: 'gru-interpolation-swapped',
    exercise: 'ex4',
    component: 'GRU',
    file: 'layers/gru.ts',
    bug: "uses PyTorch's h_t = z⊙h_{t−1} + (1−z)⊙n_t instead of the seed's (1−z)⊙h_{t−1} + z⊙n_t, with the matching backward",
    replace: [
      [
        'const newHidden = add(hidden, mul(updateGate, sub(proposal, hidden)));',
        'const newHidden = add(proposal, mul(updateGate, sub(hidden, proposal)));',
      ],
      [
        'const gradAz = mul(mul(gradH, sub(step.proposal, step.hiddenBefore)), map(step.updateGate, sigmoidDerivative));',
        'const gradAz = mul(mul(gradH, sub(step.hiddenBefore, step.proposal)), map(step.updateGate, sigmoidDerivative));',
      ],
      [
        'const gradAn = mul(mul(gradH, step.updateGate), map(step.proposal, (n) => 1 - n * n));',
        'const gradAn = mul(mul(gradH, map(step.updateGate, (z) => 1 - z)), map(step.proposal, (n) => 1 - n * n));',
      ],
      [
        'add(mul(gradH, map(step.updateGate, (z) => 1 - z)), mul(gradResetHidden, step.resetGate)),',
        'add(mul(gradH, step.updateGate), mul(gradResetHidden, step.resetGate)),',
      ],
    ],
  },
  {
    id: 'sampling-breakpoint-to-the-left',
    exercise: 'ex4',
    component: 'Sampling',
    file: 'sampling/sampling.ts',
    bug: 'returns the first i with p_0 + … + p_i ≥ u (not > u): a draw exactly on a breakpoint of the cumulative distribution picks the element to its left',
    replace: [['if (u < cumulative) return i;', 'if (u <= cumulative) return i;']],
  },
  {
    id: 'sampling-temperature-as-exponent',
    exercise: 'ex4',
    component: 'Sampling',
    file: 'sampling/sampling.ts',
    bug: 'raises the probabilities to τ instead of 1/τ, so a small temperature flattens instead of sharpening',
    replace: [
      [
        'Math.exp((Math.log(probabilities[i]) - largestLog) / temperature)',
        'Math.exp((Math.log(probabilities[i]) - largestLog) * temperature)',
      ],
    ],
  },
  {
    id: 'sequence-cross-entropy-no-max-shift',
    exercise: 'ex4',
    component: 'SequenceCrossEntropyLoss',
    file: 'losses/sequence-cross-entropy-loss.ts',
    bug: 'computes the softmax without subtracting the largest logit, so exp overflows for large logits',
    replace: [['for (let k = 0; k < classes; k++) largest = Math.max(largest, z[row + k]);', 'largest = 0;']],
  },
  {
    id: 'sequence-cross-entropy-gradient-not-averaged',
    exercise: 'ex4',
    component: 'SequenceCrossEntropyLoss',
    file: 'losses/sequence-cross-entropy-loss.ts',
    bug: 'backward returns ŷ − y without dividing by batch·time for the mean reduction',
    replace: [
      [
        'for (let i = 0; i < grad.length; i++) grad[i] = (probabilities[i] - y[i]) * factor;',
        'for (let i = 0; i < grad.length; i++) grad[i] = probabilities[i] - y[i];',
      ],
    ],
  },
];
