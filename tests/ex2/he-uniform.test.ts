import { describe } from 'vitest';
import { HeUniform } from '#impl/initializers/he-uniform.js';

import { initializerContract } from '../helpers/initializer-contract.js';

/** HeUniform: U[−r, r), r = √(6 / fanIn) (seed 003: 328–331). */
describe('ex2 HeUniform', () => {
  initializerContract({
    name: 'HeUniform',
    initializer: new HeUniform(),
    distribution: 'uniform',
    spread: (fanIn) => Math.sqrt(6 / fanIn),
    formula: 'U[−r, r), r = √(6 / fanIn)',
    fans: 'fanIn only',
    activation: 'ReLU',
  });
});
