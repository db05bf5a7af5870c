import { HeUniform } from '#impl/initializers/he-uniform.js';
import { componentChecks } from '../harness/index.js';
import { initializerChecks } from '../helpers/initializer-contract.js';

/**
 * Exercise 2, HeUniform: U[−r, r), r = √(6 / fanIn) = √(3σ²) for He's σ² = 2 / fanIn (seed 003: 328–331).
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export default componentChecks(
  'ex2',
  'HeUniform',
  initializerChecks({
    name: 'HeUniform',
    initializer: () => new HeUniform(),
    distribution: 'uniform',
    spread: (fanIn) => Math.sqrt(6 / fanIn),
    formula: 'U[−r, r), r = √(6 / fanIn)',
    fans: 'fanIn only',
    activation: 'ReLU',
  }),
);
