import { describe } from 'vitest';
import { XavierUniform } from '#impl/initializers/xavier-uniform.js';

import { initializerContract } from '../helpers/initializer-contract.js';

/** XavierUniform: U[−r, r), r = √(6 / (fanIn + fanOut)) (seed 003: 302–305). */
describe('ex2 XavierUniform', () => {
  initializerContract({
    name: 'XavierUniform',
    initializer: new XavierUniform(),
    distribution: 'uniform',
    spread: (fanIn, fanOut) => Math.sqrt(6 / (fanIn + fanOut)),
    formula: 'U[−r, r), r = √(6 / (fanIn + fanOut))',
    fans: 'both averaged',
    activation: 'linear',
  });
});
