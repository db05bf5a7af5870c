import { He } from '#impl/initializers/he.js';
import { componentChecks } from '../harness/index.js';
import { initializerChecks } from '../helpers/initializer-contract.js';

/**
 * Exercise 2, He: N(0, σ²), σ = √(2 / fanIn) (seed 004: 3997–4000; 003: 328–331).
 * Handout: docs/exercises/2-convolutional.md#initializers
 */
export default componentChecks(
  'ex2',
  'He',
  initializerChecks({
    name: 'He',
    initializer: () => new He(),
    distribution: 'normal',
    spread: (fanIn) => Math.sqrt(2 / fanIn),
    formula: 'N(0, σ²), σ = √(2 / fanIn)',
    fans: 'fanIn only',
    activation: 'ReLU',
  }),
);
