import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 2's convolutional components: Conv, Flatten, MaxPool, DigitsCNN, ConvFastPath (see variant.ts). */
export const ex2Conv: readonly BuggedVariant[] = [
  {
    id: 'conv-kernel-flipped',
    exercise: 'ex2',
    component: 'Conv',
    file: 'layers/conv2d-kernels.ts',
    bug: 'computes a true convolution in forward (kernel rotated by 180°) where the handout defines cross-correlation',
    replace: [
      [
        'sum += X[((b * inChannels + c) * height + r) * width + s] * W[((o * inChannels + c) * kernelHeight + m) * kernelWidth + n];',
        'sum += X[((b * inChannels + c) * height + r) * width + s] * W[((o * inChannels + c) * kernelHeight + (kernelHeight - 1 - m)) * kernelWidth + (kernelWidth - 1 - n)];',
      ],
    ],
  },
  {
    id: 'conv-same-output-size-floor',
    exercise: 'ex2',
    component: 'Conv',
    file: 'layers/conv.ts',
    bug: "'same' padding keeps ⌊n / stride⌋ positions instead of ⌈n / stride⌉ (off by one when the stride does not divide the size)",
    replace: [
      [
        'return { outSize: Math.ceil(n / s), padBefore: Math.floor((k - 1) / 2) };',
        'return { outSize: Math.floor(n / s), padBefore: Math.floor((k - 1) / 2) };',
      ],
    ],
  },
  {
    id: 'conv-weight-grad-divided-by-batch',
    exercise: 'ex2',
    component: 'Conv',
    file: 'layers/conv2d-kernels.ts',
    bug: 'averages the weight gradient over the batch instead of summing it (the loss already averages)',
    replace: [
      [
        'dW[((o * inChannels + c) * kernelHeight + m) * kernelWidth + n] += g * X[((b * inChannels + c) * height + r) * width + s];',
        'dW[((o * inChannels + c) * kernelHeight + m) * kernelWidth + n] += (g * X[((b * inChannels + c) * height + r) * width + s]) / batch;',
      ],
    ],
  },
  {
    id: 'conv-bias-grad-missing',
    exercise: 'ex2',
    component: 'Conv',
    file: 'layers/conv.ts',
    bug: 'never adds the bias gradient in backward',
    replace: [["    this.bias.accumulate(runKernel('conv2dBackwardBias', [dY]));\n", '']],
  },
  {
    id: 'max-pool-grad-to-last-tied-maximum',
    exercise: 'ex2',
    component: 'MaxPool',
    file: 'layers/max-pool.ts',
    bug: "compares with >= when looking for the maximum, so on a tie the LAST maximum gets the gradient (the kit's rule is the first)",
    replace: [
      ['if (argmax < 0 || X[at] > X[argmax]) argmax = at;', 'if (argmax < 0 || X[at] >= X[argmax]) argmax = at;'],
    ],
  },
  {
    id: 'max-pool-grad-to-every-tied-maximum',
    exercise: 'ex2',
    component: 'MaxPool',
    file: 'layers/max-pool.ts',
    bug: "sends a window's gradient to every element equal to its maximum, so tied maxima each get the full gradient",
    replace: [
      [
        'dX[argmax] += dY[(plane * outHeight + i) * outWidth + j];',
        'for (let m = 0; m < poolHeight; m++) for (let n = 0; n < poolWidth; n++) { const at = (plane * height + i * strideH + m) * width + j * strideW + n; if (X[at] === X[argmax]) dX[at] += dY[(plane * outHeight + i) * outWidth + j]; }',
      ],
    ],
  },
  {
    id: 'max-pool-grad-assigned-not-added',
    exercise: 'ex2',
    component: 'MaxPool',
    file: 'layers/max-pool.ts',
    bug: "assigns a window's gradient to its maximum (=) instead of adding it, so overlapping windows that share a maximum overwrite each other",
    replace: [
      [
        'dX[argmax] += dY[(plane * outHeight + i) * outWidth + j];',
        'dX[argmax] = dY[(plane * outHeight + i) * outWidth + j];',
      ],
    ],
  },
  {
    id: 'flatten-backward-not-reshaped',
    exercise: 'ex2',
    component: 'Flatten',
    file: 'layers/flatten.ts',
    bug: "returns ∂L/∂y as it came, [batch, features], instead of restoring the input's shape",
    replace: [['return gradOutput.reshape(inputShape);', 'return gradOutput;']],
  },
  {
    id: 'conv-fast-col2im-assigns',
    exercise: 'ex2',
    component: 'ConvFastPath',
    file: 'layers/conv2d-fast.ts',
    bug: 'col2im assigns each column entry to its pixel (=) instead of adding it, so a pixel read by several windows keeps only the last',
    replace: [
      [
        'if (s >= 0 && s < width) dX[plane + r * width + s] += C[at + j];',
        'if (s >= 0 && s < width) dX[plane + r * width + s] = C[at + j];',
      ],
    ],
  },
  {
    id: 'digits-cnn-he-ignores-rng',
    exercise: 'ex2',
    component: 'DigitsCNN',
    file: 'initializers/he.ts',
    bug: 'He.initialize draws from the global default generator instead of the rng it is given, so the same seed no longer gives the same network',
    replace: [
      [
        "import { checkFans } from '../../framework/nn/initializer-checks.js';",
        "import { checkFans } from '../../framework/nn/initializer-checks.js';\nimport { defaultRng } from '../../framework/random/default-rng.js';",
      ],
      ['return rng.normalTensor(shape, 0, sigma);', 'return defaultRng().normalTensor(shape, 0, sigma);'],
    ],
  },
];
