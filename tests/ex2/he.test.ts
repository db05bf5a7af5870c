import { describe } from 'vitest';
import { He } from '#impl/initializers/he.js';

import { initializerContract } from '../helpers/initializer-contract.js';

/** He: N(0, σ²), σ = √(2 / fanIn) (seed 004: 3997–4000). */
describe('ex2 He', () => {
  initializerContract({
    name: 'He',
    initializer: new He(),
    distribution: 'normal',
    spread: (fanIn) => Math.sqrt(2 / fanIn),
    formula: 'N(0, σ²), σ = √(2 / fanIn)',
    fans: 'fanIn only',
    activation: 'ReLU',
  });
});
