import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 6's components (see variant.ts). */
export const ex6Layers: readonly BuggedVariant[] = [
  {
    id: 'dilated-conv-span-d-times-k',
    exercise: 'ex6',
    component: 'DilatedConv',
    file: 'layers/dilated-kernel.ts',
    bug: "takes the span of a dilated kernel as d·k instead of d·(k − 1) + 1, so the output sizes and the 'same' padding are off",
    replace: [['return dilation * (kernelSize - 1) + 1; // SOLUTION', 'return dilation * kernelSize; // SOLUTION']],
  },
  {
    id: 'dilated-conv-gather-without-dilation',
    exercise: 'ex6',
    component: 'DilatedConv',
    file: 'layers/dilated-kernel.ts',
    bug: 'reads the weight gradient back at (m, n) of the spread kernel instead of (m·dh, n·dw)',
    replace: [
      [
        '= G[(f * spreadHeight + m * dilationH) * spreadWidth + n * dilationW];',
        '= G[(f * spreadHeight + m) * spreadWidth + n];',
      ],
    ],
  },
  {
    id: 'dilated-conv-dilation-as-holes',
    exercise: 'ex6',
    component: 'DilatedConv',
    file: 'layers/dilated-kernel.ts',
    bug: 'reads the dilation as the number of zeros between the taps (taps d + 1 apart), so dilation 2 behaves as 3',
    replace: [
      [
        'return dilation * (kernelSize - 1) + 1; // SOLUTION',
        'return (dilation + 1) * (kernelSize - 1) + 1; // SOLUTION',
      ],
      [
        'spread[(f * spreadHeight + m * dilationH) * spreadWidth + n * dilationW]',
        'spread[(f * spreadHeight + m * (dilationH + 1)) * spreadWidth + n * (dilationW + 1)]',
      ],
      [
        '= G[(f * spreadHeight + m * dilationH) * spreadWidth + n * dilationW];',
        '= G[(f * spreadHeight + m * (dilationH + 1)) * spreadWidth + n * (dilationW + 1)];',
      ],
    ],
  },
  {
    id: 'layer-norm-over-batch-axis',
    exercise: 'ex6',
    component: 'LayerNorm',
    file: 'layers/layer-norm.ts',
    bug: "normalises each feature over the batch (BatchNorm's axis) instead of each row over its features",
    replace: [
      [
        `    for (let row = 0; row < rows; row++) {
      const start = row * features;
      let total = 0;
      for (let f = 0; f < features; f++) total += x[start + f];
      const mean = total / features;
      let squares = 0;
      for (let f = 0; f < features; f++) squares += (x[start + f] - mean) ** 2;
      inverseStd[row] = 1 / Math.sqrt(squares / features + this.eps);
      for (let f = 0; f < features; f++) {
        normalized[start + f] = (x[start + f] - mean) * inverseStd[row];
        y[start + f] = gamma[f] * normalized[start + f] + beta[f];
      }
    }`,
        `    for (let f = 0; f < features; f++) {
      let total = 0;
      for (let row = 0; row < rows; row++) total += x[row * features + f];
      const mean = total / rows;
      let squares = 0;
      for (let row = 0; row < rows; row++) squares += (x[row * features + f] - mean) ** 2;
      const inverse = 1 / Math.sqrt(squares / rows + this.eps);
      for (let row = 0; row < rows; row++) {
        inverseStd[row] = inverse;
        normalized[row * features + f] = (x[row * features + f] - mean) * inverse;
        y[row * features + f] = gamma[f] * normalized[row * features + f] + beta[f];
      }
    }`,
      ],
    ],
  },
  {
    id: 'layer-norm-unbiased-variance',
    exercise: 'ex6',
    component: 'LayerNorm',
    file: 'layers/layer-norm.ts',
    bug: 'divides the sum of squares by F − 1 (unbiased variance) instead of F',
    replace: [
      [
        'inverseStd[row] = 1 / Math.sqrt(squares / features + this.eps);',
        'inverseStd[row] = 1 / Math.sqrt(squares / (features - 1) + this.eps);',
      ],
    ],
  },
  {
    id: 'layer-norm-eps-outside-sqrt',
    exercise: 'ex6',
    component: 'LayerNorm',
    file: 'layers/layer-norm.ts',
    bug: 'normalises by √σ² + ε instead of √(σ² + ε)',
    replace: [
      [
        'inverseStd[row] = 1 / Math.sqrt(squares / features + this.eps);',
        'inverseStd[row] = 1 / (Math.sqrt(squares / features) + this.eps);',
      ],
    ],
  },
  {
    id: 'layer-norm-backward-without-mean-terms',
    exercise: 'ex6',
    component: 'LayerNorm',
    file: 'layers/layer-norm.ts',
    bug: 'treats μ and σ² as constants in backward: ∂L/∂x = γ·g/√(σ² + ε), without the two mean terms',
    replace: [
      [
        'gradInput[start + f] = inverseStd[row] * (scaled - sumScaled / features - normalized[start + f] * (sumScaledNormalized / features));',
        'gradInput[start + f] = inverseStd[row] * scaled;',
      ],
    ],
  },
  {
    id: 'residual-block-backward-without-shortcut',
    exercise: 'ex6',
    component: 'ResidualBlock',
    file: 'layers/residual-block.ts',
    bug: "returns only the body's gradient: the shortcut's g (or the projection's backward) is not added to ∂L/∂x",
    replace: [
      [
        'const throughShortcut = this.projection ? this.projection.backward(gradOutput) : gradOutput;\n    return add(throughBody, throughShortcut);',
        'if (this.projection) this.projection.backward(gradOutput);\n    return throughBody;',
      ],
    ],
  },
  {
    id: 'residual-block-body-backward-in-forward-order',
    exercise: 'ex6',
    component: 'ResidualBlock',
    file: 'layers/residual-block.ts',
    bug: "runs the body's backward passes in forward order instead of reverse",
    replace: [
      [
        'for (let i = this.body.length - 1; i >= 0; i--) throughBody = this.body[i].backward(throughBody);',
        'for (let i = 0; i < this.body.length; i++) throughBody = this.body[i].backward(throughBody);',
      ],
    ],
  },
  {
    id: 'residual-cnn-block-without-shortcut',
    exercise: 'ex6',
    component: 'ResidualCNN',
    file: 'layers/residual-block.ts',
    bug: 'the residual block returns only its body F(x) in forward (a plain network), while backward still adds the shortcut',
    replace: [
      [
        'return add(residual, this.#matching(shortcut, residual, input));',
        'this.#matching(shortcut, residual, input);\n    return residual;',
      ],
    ],
  },
];
