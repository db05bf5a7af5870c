import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 1's components (see variant.ts). */
export const ex1: readonly BuggedVariant[] = [
  {
    id: 'fully-connected-weight-grad-divided-by-batch',
    exercise: 'ex1',
    component: 'FullyConnected',
    file: 'layers/fully-connected.ts',
    bug: 'divides the weight gradient by the batch size (the loss already averages)',
    replace: [
      ['import { add } from', "import { scale } from '../../framework/ops/arithmetic.js';\nimport { add } from"],
      [
        'this.weight.accumulate(matmul(transpose(input), gradOutput));',
        'this.weight.accumulate(scale(matmul(transpose(input), gradOutput), 1 / input.shape[0]));',
      ],
    ],
  },
  {
    id: 'relu-backward-derivative-one-at-zero',
    exercise: 'ex1',
    component: 'ReLU',
    file: 'activations/relu.ts',
    bug: 'lets the gradient through at x = 0 (tests x >= 0 instead of x > 0)',
    replace: [['dx[i] = x[i] > 0 ? dy[i] : 0;', 'dx[i] = x[i] >= 0 ? dy[i] : 0;']],
  },
  {
    id: 'relu-backward-masks-the-gradient',
    exercise: 'ex1',
    component: 'ReLU',
    file: 'activations/relu.ts',
    bug: 'applies ReLU to the upstream gradient (mask from dy > 0) instead of masking with the input x > 0',
    replace: [['dx[i] = x[i] > 0 ? dy[i] : 0;', 'dx[i] = dy[i] > 0 ? dy[i] : 0;']],
  },
  {
    id: 'relu-backward-returns-the-activation',
    exercise: 'ex1',
    component: 'ReLU',
    file: 'activations/relu.ts',
    bug: 'returns the activation max(0, x) from backward instead of the masked upstream gradient',
    replace: [['dx[i] = x[i] > 0 ? dy[i] : 0;', 'dx[i] = x[i] > 0 ? x[i] : 0;']],
  },
  {
    id: 'softmax-without-max-shift',
    exercise: 'ex1',
    component: 'SoftMax',
    file: 'activations/softmax.ts',
    bug: 'exponentiates the logits without subtracting the row maximum (overflows at 1000, 0/0 for all-negative rows)',
    replace: [['y[row + k] = Math.exp(x[row + k] - largest);', 'y[row + k] = Math.exp(x[row + k]);']],
  },
  {
    id: 'softmax-backward-sums-over-the-batch',
    exercise: 'ex1',
    component: 'SoftMax',
    file: 'activations/softmax.ts',
    bug: 'takes Σ_k E_k ŷ_k over the batch axis (0) instead of over each row (the last axis)',
    replace: [['sum(mul(gradOutput, output), -1, true)', 'sum(mul(gradOutput, output), 0, true)']],
  },
  {
    id: 'cross-entropy-epsilon-outside',
    exercise: 'ex1',
    component: 'CrossEntropyLoss',
    file: 'losses/cross-entropy-loss.ts',
    bug: 'adds ε after the log and after the division instead of to ŷ: −log(ŷ) + ε and −y/ŷ + ε',
    replace: [
      ['loss -= y[i] * Math.log(p[i] + eps);', 'loss -= y[i] * Math.log(p[i]) + eps;'],
      ['grad[i] = (-y[i] / (p[i] + eps)) * factor;', 'grad[i] = (-y[i] / p[i] + eps) * factor;'],
    ],
  },
  {
    id: 'cross-entropy-averaged-over-every-entry',
    exercise: 'ex1',
    component: 'CrossEntropyLoss',
    file: 'losses/cross-entropy-loss.ts',
    bug: "averages over all batch × classes entries instead of over the batch (and ignores reduction 'sum')",
    replace: [
      ['return loss * factor;', 'return loss / p.length;'],
      ['grad[i] = (-y[i] / (p[i] + eps)) * factor;', 'grad[i] = -y[i] / (p[i] + eps) / p.length;'],
    ],
  },
  {
    id: 'softmax-cross-entropy-naive-log-softmax',
    exercise: 'ex1',
    component: 'SoftmaxCrossEntropyLoss',
    file: 'losses/softmax-cross-entropy-loss.ts',
    bug: 'computes log Σ exp(z) without subtracting the row maximum (∞ for logits of 1000, −∞ for rows near −1000)',
    replace: [
      [
        'for (let k = 0; k < classes; k++) total += Math.exp(z[row + k] - largest);',
        'for (let k = 0; k < classes; k++) total += Math.exp(z[row + k]);',
      ],
      ['const logProbability = z[row + k] - largest - logTotal;', 'const logProbability = z[row + k] - logTotal;'],
    ],
  },
  {
    id: 'softmax-cross-entropy-gradient-not-averaged',
    exercise: 'ex1',
    component: 'SoftmaxCrossEntropyLoss',
    file: 'losses/softmax-cross-entropy-loss.ts',
    bug: "forgets the reduction factor in the gradient: ŷ − y instead of (ŷ − y)/batch for 'mean'",
    replace: [['grad[i] = (probabilities[i] - y[i]) * factor;', 'grad[i] = probabilities[i] - y[i];']],
  },
  {
    id: 'sgd-forgets-learning-rate',
    exercise: 'ex1',
    component: 'Sgd',
    file: 'optimizers/sgd.ts',
    bug: 'steps by the whole gradient, w − g, forgetting the learning rate',
    replace: [['return sub(value, scale(grad, this.learningRate));', 'return sub(value, grad);']],
  },
  {
    id: 'sgd-scales-gradient-in-place',
    exercise: 'ex1',
    component: 'Sgd',
    file: 'optimizers/sgd.ts',
    bug: 'scales the gradient in place (grad ← lr·g) before subtracting it, so step changes .grad',
    replace: [
      [
        'return sub(value, scale(grad, this.learningRate));',
        'for (let i = 0; i < grad.data.length; i++) grad.data[i] *= this.learningRate;\n    return sub(value, grad);',
      ],
    ],
  },
  {
    id: 'neural-network-fit-never-zeroes-gradients',
    exercise: 'ex1',
    component: 'NeuralNetwork',
    file: 'network/neural-network.ts',
    bug: 'never clears the gradients in fit, so each step uses the sum of all gradients so far',
    replace: [['      this.optimizer.zeroGrad(parameters);\n', '']],
  },
  {
    id: 'neural-network-backward-in-forward-order',
    exercise: 'ex1',
    component: 'NeuralNetwork',
    file: 'network/neural-network.ts',
    bug: 'runs backward through the layers in forward order instead of in reverse',
    replace: [
      [
        'for (let i = this.layers.length - 1; i >= 0; i--) gradient = this.layers[i].backward(gradient);',
        'for (let i = 0; i < this.layers.length; i++) gradient = this.layers[i].backward(gradient);',
      ],
    ],
  },
  {
    id: 'neural-network-fit-reports-data-loss-only',
    exercise: 'ex1',
    component: 'NeuralNetwork',
    file: 'network/neural-network.ts',
    bug: 'calls this.loss.forward in fit instead of computeLoss, so the reported loss misses the regularization loss',
    replace: [
      [
        'loss = this.computeLoss(this.forward(batch.x), batch.y);',
        'loss = this.loss.forward(this.forward(batch.x), batch.y);',
      ],
    ],
  },
  {
    id: 'neural-network-fit-steps-before-backward',
    exercise: 'ex1',
    component: 'NeuralNetwork',
    file: 'network/neural-network.ts',
    bug: 'takes the optimizer step before backward, so every step sees the gradients of the previous iteration (or none)',
    replace: [
      [
        '      this.backward();\n      this.optimizer.step(parameters);',
        '      this.optimizer.step(parameters);\n      this.backward();',
      ],
    ],
  },
];
