import { expect } from 'vitest';
import { Xavier } from '#impl/initializers/xavier.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { Rng, zeros, type Initializer } from '../../framework/index.js';
import { componentChecks, knownValue, tensorData } from '../harness/index.js';
import { initializerChecks } from '../helpers/initializer-contract.js';

/**
 * Exercise 2, Xavier: N(0, σ²), σ = √(2 / (fanIn + fanOut)) (seed 004: 3984–3993; 003: 302–305).
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export default componentChecks('ex2', 'Xavier', [
  ...initializerChecks({
    name: 'Xavier',
    initializer: () => new Xavier(),
    distribution: 'normal',
    spread: (fanIn, fanOut) => Math.sqrt(2 / (fanIn + fanOut)),
    formula: 'N(0, σ²), σ = √(2 / (fanIn + fanOut))',
    fans: 'both averaged',
    activation: 'linear',
  }),
  knownValue({
    title: 'receives fanIn = inFeatures and fanOut = outFeatures from FullyConnected (DESIGN §3)',
    // FullyConnected.initialize is given code (Exercise 1); this pins the fans it hands to any initializer.
    run: () => {
      // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
      const shape = tensorData(new Xavier().initialize([6, 4], 6, 4, new Rng(1)), 'Xavier.initialize').shape;
      const calls: { shape: number[]; fanIn: number; fanOut: number }[] = [];
      const recording: Initializer = {
        initialize: (s, fanIn, fanOut) => {
          calls.push({ shape: [...s], fanIn, fanOut });
          return zeros(s);
        },
      };
      new FullyConnected(6, 4).initialize(recording, recording, new Rng(1));
      return { shape, calls };
    },
    verify: ({ shape, calls }) => {
      expect(shape, 'Xavier.initialize([6, 4], 6, 4, rng) shape').toEqual([6, 4]);
      expect(
        calls,
        'the initializer calls of FullyConnected(6, 4).initialize: the weight [6, 4], then the bias [4], both with fanIn 6 and fanOut 4',
      ).toEqual([
        { shape: [6, 4], fanIn: 6, fanOut: 4 },
        { shape: [4], fanIn: 6, fanOut: 4 },
      ]);
    },
  }),
]);
