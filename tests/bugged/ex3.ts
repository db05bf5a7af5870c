import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 3's components (see variant.ts). */
export const ex3: readonly BuggedVariant[] = [
  {
    id: 'l1-regularizer-gradient-positive-at-zero',
    exercise: 'ex3',
    component: 'L1Regularizer',
    file: 'regularizers/l1-regularizer.ts',
    bug: 'writes sign(w) as w >= 0 ? 1 : −1, so the subgradient at w = 0 is α instead of 0',
    replace: [
      [
        "import type { Tensor } from '../../framework/tensor/tensor.js';",
        "import { Tensor } from '../../framework/tensor/tensor.js';",
      ],
      [
        'return scale(sign(weights), this.alpha);',
        'return new Tensor(weights.shape, Float64Array.from(weights.data, (w) => (w >= 0 ? this.alpha : -this.alpha)));',
      ],
    ],
  },
  {
    id: 'l2-regularizer-gradient-two-alpha',
    exercise: 'ex3',
    component: 'L2Regularizer',
    file: 'regularizers/l2-regularizer.ts',
    bug: 'differentiates norm(w) = α·Σw² to 2α·w, against the kit convention gradient(w) = α·w',
    replace: [['return scale(weights, this.alpha);', 'return scale(weights, 2 * this.alpha);']],
  },
  {
    id: 'dropout-kept-units-not-rescaled',
    exercise: 'ex3',
    component: 'Dropout',
    file: 'layers/dropout.ts',
    bug: 'drops units in training but does not scale the kept ones by 1/(1 − rate) (not inverted dropout)',
    replace: [['const keptScale = 1 / (1 - this.rate);', 'const keptScale = 1;']],
  },
  {
    id: 'dropout-drops-in-eval',
    exercise: 'ex3',
    component: 'Dropout',
    file: 'layers/dropout.ts',
    bug: 'applies a random mask in eval mode too (no identity branch)',
    replace: [["    if (!this.training) {\n      this.#lastForward = 'identity';\n      return input;\n    }\n", '']],
  },
  {
    id: 'batch-norm-biased-running-variance',
    exercise: 'ex3',
    component: 'BatchNorm',
    file: 'layers/batch-norm.ts',
    bug: 'updates the running variance with the biased batch variance σ² instead of σ²·m/(m − 1)',
    replace: [['momentum * variance * (count / (count - 1));', 'momentum * variance;']],
  },
  {
    id: 'batch-norm-eps-outside-sqrt',
    exercise: 'ex3',
    component: 'BatchNorm',
    file: 'layers/batch-norm.ts',
    bug: 'normalises by √σ² + ε instead of √(σ² + ε) in training',
    replace: [['inverseStd[c] = 1 / Math.sqrt(variance + eps);', 'inverseStd[c] = 1 / (Math.sqrt(variance) + eps);']],
  },
  {
    id: 'batch-norm-backward-without-mean-terms',
    exercise: 'ex3',
    component: 'BatchNorm',
    file: 'layers/batch-norm.ts',
    bug: 'backward treats μ and σ² as constants in training too: ∂L/∂x = γ/√(σ² + ε)·g, without the two mean terms',
    replace: [
      [
        'cache.training ? k * (g[i] - sumG / count - normalized[i] * (sumGNormalized / count)) : k * g[i];',
        'k * g[i];',
      ],
    ],
  },
  {
    id: 'batch-norm-running-mean-updated-in-eval',
    exercise: 'ex3',
    component: 'BatchNorm',
    file: 'layers/batch-norm.ts',
    bug: 'updates the running mean with the batch mean in eval mode as well',
    replace: [
      [
        '        inverseStd[c] = 1 / Math.sqrt(runningVar[c] + eps);',
        '        let total = 0;\n        for (let b = 0; b < batch; b++) for (let s = 0, i = (b * channels + c) * spatial; s < spatial; s++, i++) total += x[i];\n        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * (total / count);\n        inverseStd[c] = 1 / Math.sqrt(runningVar[c] + eps);',
      ],
    ],
  },
  {
    id: 'sigmoid-backward-from-input',
    exercise: 'ex3',
    component: 'Sigmoid',
    file: 'activations/sigmoid.ts',
    bug: 'keeps the input instead of the output for backward, so backward computes x·(1 − x) instead of σ(x)·(1 − σ(x))',
    replace: [
      [
        "    this.#output = runKernel('sigmoid', [input]);\n    return this.#output;",
        "    this.#output = input;\n    return runKernel('sigmoid', [input]);",
      ],
    ],
  },
  {
    id: 'tanh-backward-without-square',
    exercise: 'ex3',
    component: 'TanH',
    file: 'activations/tanh.ts',
    bug: "writes tanh' as 1 − y instead of 1 − y²",
    replace: [['dx[i] = dy[i] * (1 - y[i] * y[i]);', 'dx[i] = dy[i] * (1 - y[i]);']],
  },
  {
    id: 'mse-mean-over-every-element',
    exercise: 'ex3',
    component: 'MeanSquaredErrorLoss',
    file: 'losses/mean-squared-error-loss.ts',
    bug: "averages over every element (as PyTorch's MSELoss) instead of over the batch for reduction 'mean'",
    replace: [
      ['    return loss * factor;', "    return this.reduction === 'mean' ? loss / p.length : loss;"],
      [
        'grad[i] = (p[i] - y[i]) * factor;',
        "grad[i] = (p[i] - y[i]) * (this.reduction === 'mean' ? 1 / p.length : 1);",
      ],
    ],
  },
  {
    id: 'network-fit-reports-data-loss-only',
    exercise: 'ex3',
    component: 'RegularizationTraining',
    file: 'network/neural-network.ts',
    bug: 'NeuralNetwork.fit reports loss.forward (the data loss) instead of computeLoss, leaving out the regularization loss',
    replace: [
      [
        'loss = this.computeLoss(this.forward(batch.x), batch.y);',
        'loss = this.loss.forward(this.forward(batch.x), batch.y);',
      ],
    ],
  },
  {
    id: 'batch-norm-running-statistics-never-updated',
    exercise: 'ex3',
    component: 'SaveAndLoad',
    file: 'layers/batch-norm.ts',
    bug: 'never updates the running statistics in training, so the saved buffers are the initial 0 and 1',
    replace: [
      ['        runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;\n', ''],
      ['        runningVar[c] = (1 - momentum) * runningVar[c] + momentum * variance * (count / (count - 1));\n', ''],
    ],
  },
  {
    id: 'leaky-relu-backward-passes-at-zero',
    exercise: 'ex3',
    component: 'LeakyReLU',
    file: 'activations/leaky-relu.ts',
    bug: 'tests x >= 0 in backward, so the slope at exactly 0 is 1 instead of α',
    replace: [
      [
        'for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : this.alpha * dy[i];',
        'for (let i = 0; i < x.length; i++) dx[i] = x[i] >= 0 ? dy[i] : this.alpha * dy[i];',
      ],
    ],
  },
  {
    id: 'leaky-relu-backward-scales-the-output',
    exercise: 'ex3',
    component: 'LeakyReLU',
    file: 'activations/leaky-relu.ts',
    bug: 'multiplies the upstream gradient by α everywhere it is not positive, judging by the upstream gradient instead of the input',
    replace: [
      [
        'for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : this.alpha * dy[i];',
        'for (let i = 0; i < x.length; i++) dx[i] = dy[i] > 0 ? dy[i] : this.alpha * dy[i];',
      ],
    ],
  },
  {
    id: 'elu-backward-x-plus-alpha',
    exercise: 'ex3',
    component: 'ELU',
    file: 'activations/elu.ts',
    bug: "reads 003: 177's slope ELU(x) + α as x + α, using the input where the output belongs",
    replace: [
      [
        'dx[i] = x[i] > 0 ? dy[i] : dy[i] * this.alpha * Math.exp(x[i]);',
        'dx[i] = x[i] > 0 ? dy[i] : dy[i] * (x[i] + this.alpha);',
      ],
    ],
  },
  {
    id: 'elu-backward-exp-of-output',
    exercise: 'ex3',
    component: 'ELU',
    file: 'activations/elu.ts',
    bug: 'computes the slope α·eˣ from the output instead of the input, α·e^y with y = α·(eˣ − 1)',
    replace: [
      [
        'dx[i] = x[i] > 0 ? dy[i] : dy[i] * this.alpha * Math.exp(x[i]);',
        'dx[i] = x[i] > 0 ? dy[i] : dy[i] * this.alpha * Math.exp(this.alpha * Math.expm1(x[i]));',
      ],
    ],
  },
  {
    id: 'elu-slope-one-at-zero',
    exercise: 'ex3',
    component: 'ELU',
    file: 'activations/elu.ts',
    bug: 'tests x >= 0 in backward, so the slope at exactly 0 is 1 instead of α (the same for the default α = 1)',
    replace: [
      [
        'dx[i] = x[i] > 0 ? dy[i] : dy[i] * this.alpha * Math.exp(x[i]);',
        'dx[i] = x[i] >= 0 ? dy[i] : dy[i] * this.alpha * Math.exp(x[i]);',
      ],
    ],
  },
  {
    id: 'elu-forward-without-minus-one',
    exercise: 'ex3',
    component: 'ELU',
    file: 'activations/elu.ts',
    bug: 'writes the negative branch as α·eˣ, forgetting the − 1, so ELU jumps from α to 0 at x = 0',
    replace: [
      [
        'y[i] = x[i] > 0 ? x[i] : this.alpha * Math.expm1(x[i]);',
        'y[i] = x[i] > 0 ? x[i] : this.alpha * Math.exp(x[i]);',
      ],
    ],
  },
  {
    id: 'selu-positive-branch-without-lambda',
    exercise: 'ex3',
    component: 'SELU',
    file: 'activations/selu.ts',
    bug: 'scales only the negative branch by λ: y = x for x > 0, and slope 1 there',
    replace: [
      [
        'y[i] = x[i] > 0 ? lambda * x[i] : lambda * alpha * Math.expm1(x[i]);',
        'y[i] = x[i] > 0 ? x[i] : lambda * alpha * Math.expm1(x[i]);',
      ],
      ['dx[i] = x[i] > 0 ? lambda * dy[i] :', 'dx[i] = x[i] > 0 ? dy[i] :'],
    ],
  },
  {
    id: 'selu-backward-copies-seed-error',
    exercise: 'ex3',
    component: 'SELU',
    file: 'activations/selu.ts',
    bug: "copies 004: 2869's slope λ·α·f(x) for x ≤ 0 instead of λ·α·eˣ",
    replace: [
      [
        'dx[i] = x[i] > 0 ? lambda * dy[i] : dy[i] * lambda * alpha * Math.exp(x[i]);',
        'dx[i] = x[i] > 0 ? lambda * dy[i] : dy[i] * lambda * alpha * (lambda * alpha * Math.expm1(x[i]));',
      ],
    ],
  },
  {
    id: 'selu-rounded-constants',
    exercise: 'ex3',
    component: 'SELU',
    file: 'activations/selu.ts',
    bug: "types the seed's rounded constants λ = 1.0507, α = 1.6733 into forward instead of using SELU.lambda and SELU.alpha",
    replace: [
      [
        'y[i] = x[i] > 0 ? lambda * x[i] : lambda * alpha * Math.expm1(x[i]);',
        'y[i] = x[i] > 0 ? 1.0507 * x[i] : 1.0507 * 1.6733 * Math.expm1(x[i]);',
      ],
    ],
  },
];
