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
      ['import { add } from', 'import { scale } from \'../../framework/ops/arithmetic.js\';\nimport { add } from'],
      ['this.weight.accumulate(matmul(transpose(input), gradOutput));', 'this.weight.accumulate(scale(matmul(transpose(input), gradOutput), 1 / input.shape[0]));'],
    ],
  },
];
