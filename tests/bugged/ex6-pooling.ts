import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in Exercise 6's components (see variant.ts). */
export const ex6Pooling: readonly BuggedVariant[] = [
  {
    id: 'avg-pool-backward-assigns',
    exercise: 'ex6',
    component: 'AvgPool',
    file: 'layers/avg-pool.ts',
    bug: 'assigns each share (=) instead of adding it (+=), so where windows overlap the last window overwrites the others',
    replace: [
      [
        'for (let n = 0; n < poolWidth; n++) dX[(plane * height + i * strideH + m) * width + j * strideW + n] += share;',
        'for (let n = 0; n < poolWidth; n++) dX[(plane * height + i * strideH + m) * width + j * strideW + n] = share;',
      ],
    ],
  },
  {
    id: 'avg-pool-backward-to-first-element',
    exercise: 'ex6',
    component: 'AvgPool',
    file: 'layers/avg-pool.ts',
    bug: "copies MaxPool's backward: the whole ∂L/∂y of a window goes to one element (its first) instead of equal parts to all",
    replace: [
      [
        '          for (let m = 0; m < poolHeight; m++) {\n            for (let n = 0; n < poolWidth; n++) dX[(plane * height + i * strideH + m) * width + j * strideW + n] += share;\n          }',
        '          dX[(plane * height + i * strideH) * width + j * strideW] += share * area;',
      ],
    ],
  },
  {
    id: 'avg-pool-backward-not-divided',
    exercise: 'ex6',
    component: 'AvgPool',
    file: 'layers/avg-pool.ts',
    bug: "sends each input the window's whole ∂L/∂y instead of ∂L/∂y/(ph·pw) (the gradient of a sum, not a mean)",
    replace: [
      [
        'const share = dY[(plane * outHeight + i) * outWidth + j] / area;',
        'const share = dY[(plane * outHeight + i) * outWidth + j];',
      ],
    ],
  },
  {
    id: 'avg-pool-divides-by-stride-area',
    exercise: 'ex6',
    component: 'AvgPool',
    file: 'layers/avg-pool.ts',
    bug: 'divides the window sum by sh·sw (the stride) instead of ph·pw in forward: right only while the stride is the window',
    replace: [
      [
        'Y[(plane * outHeight + i) * outWidth + j] = total / area;',
        'Y[(plane * outHeight + i) * outWidth + j] = total / (strideH * strideW);',
      ],
    ],
  },
  {
    id: 'global-avg-pool-channels-last',
    exercise: 'ex6',
    component: 'GlobalAvgPool',
    file: 'layers/global-avg-pool.ts',
    bug: "averages as if the input were [batch, H, W, C] (TensorFlow's channels-last), mixing the channels of each example",
    replace: [
      [
        'for (let p = 0; p < area; p++) total += X[plane * area + p];',
        'for (let p = 0; p < area; p++) total += X[(Math.floor(plane / channels) * area + p) * channels + (plane % channels)];',
      ],
    ],
  },
  {
    id: 'global-avg-pool-backward-not-divided',
    exercise: 'ex6',
    component: 'GlobalAvgPool',
    file: 'layers/global-avg-pool.ts',
    bug: 'copies ∂L/∂y[b, c] to every position without dividing by H·W',
    replace: [
      [
        'for (let p = 0; p < area; p++) dX[plane * area + p] = dY[plane] / area;',
        'for (let p = 0; p < area; p++) dX[plane * area + p] = dY[plane];',
      ],
    ],
  },
  {
    id: 'global-avg-pool-sums',
    exercise: 'ex6',
    component: 'GlobalAvgPool',
    file: 'layers/global-avg-pool.ts',
    bug: 'returns the sum of each map instead of its mean (forward only; backward still divides)',
    replace: [['Y[plane] = total / area;', 'Y[plane] = total;']],
  },
];
