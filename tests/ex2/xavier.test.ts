import { describe, expect, it } from 'vitest';
import { Xavier } from '#impl/initializers/xavier.js';
import { FullyConnected } from '#impl/layers/fully-connected.js';
import { Rng, zeros, type Initializer } from '../../framework/index.js';
import { initializerContract } from '../helpers/initializer-contract.js';

const initializer = new Xavier();

/** Xavier: N(0, σ²), σ = √(2 / (fanIn + fanOut)) (seed 004: 3984–3993). */
describe('ex2 Xavier', () => {
  initializerContract({
    name: 'Xavier',
    initializer,
    distribution: 'normal',
    spread: (fanIn, fanOut) => Math.sqrt(2 / (fanIn + fanOut)),
    formula: 'N(0, σ²), σ = √(2 / (fanIn + fanOut))',
    fans: 'both averaged',
    activation: 'linear',
    moreKnownValues: () => {
      it('receives fanIn = inFeatures and fanOut = outFeatures from FullyConnected (DESIGN §3)', () => {
        // A working call first: on the stub this fails with NotImplementedError rather than scoring for given code.
        expect(initializer.initialize([6, 4], 6, 4, new Rng(1)).shape).toEqual([6, 4]);
        const calls: [readonly number[], number, number][] = [];
        const recording: Initializer = { initialize: (shape, fanIn, fanOut) => (calls.push([shape, fanIn, fanOut]), zeros(shape)) };
        new FullyConnected(6, 4).initialize(recording, recording, new Rng(1));
        expect(calls, 'FullyConnected(6, 4).initialize').toEqual([[[6, 4], 6, 4], [[4], 6, 4]]);
      });
    },
  });
});
