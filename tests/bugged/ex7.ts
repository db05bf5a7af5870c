import type { BuggedVariant } from './variant.js';

/** Realistic mistakes in a challenge submission (see variant.ts). */
export const ex7: readonly BuggedVariant[] = [
  {
    id: 'challenge-model-changed-after-training',
    exercise: 'ex7',
    component: 'ChallengeModel',
    file: 'challenge/model.ts',
    bug: 'widens the dense layer after training (64 → 96 units) and submits the weights trained for the old model',
    replace: [
      ['new FullyConnected(24 * 7 * 7, 64, { rng })', 'new FullyConnected(24 * 7 * 7, 96, { rng })'],
      ['new FullyConnected(64, 10, { rng })', 'new FullyConnected(96, 10, { rng })'],
    ],
  },
];
